import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../core/log.ts';
import { openWarehouse, type Warehouse } from '../../../core/warehouse.ts';
import { buildSource } from '../../../connectors/registry.ts';
import { startSampleWorld, type SampleWorld } from '../../../jobs/sample.ts';
import { runExtract } from '../../../jobs/steps.ts';
import { buildModels } from '../../../models/engine/index.ts';
import { createMacros } from '../../../models/macros.ts';
import { CUSTOMER_MODELS, NOW, rows } from './helpers.ts';

let sample: SampleWorld | undefined;
let wh: Warehouse | undefined;
afterAll(async () => {
  wh?.close();
  await sample?.close();
});

describe('customers area on the sample world', () => {
  it('extracts Shopify and Stripe, builds every customer model with passing tests, and fits CLV', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pulse-customers-world-'));
    sample = await startSampleWorld({ scale: 0.05, only: ['shopify', 'stripe'], dir });
    wh = await openWarehouse(sample.config.warehouse.path);
    const sources = Object.entries(sample.config.sources).map(([name, config]) => buildSource(name, config, dir));
    const extract = await runExtract(wh, sources, { log: silentLogger });
    expect(extract.status).toBe('succeeded');
    await createMacros(wh);

    const result = await buildModels(wh, CUSTOMER_MODELS, { now: () => NOW });
    expect(result.models.filter((m) => m.status !== 'succeeded').map((m) => `${m.model}: ${m.error}`)).toEqual([]);
    expect(result.tests.filter((t) => t.status !== 'pass' && t.severity === 'error').map((t) => `${t.model} ${t.test}`)).toEqual([]);
    expect(result.ok).toBe(true);

    for (const table of ['dim_customers', 'clv_model', 'fct_clv_by_channel', 'fct_customer_cohorts', 'fct_churn_monthly', 'fct_repeat_purchase_monthly', 'fct_subscription_mrr']) {
      const [count] = await rows(wh, `select count(*) n from marts.${table}`);
      expect(Number(count?.['n']), table).toBeGreaterThan(0);
    }

    // The shop's main currency has enough repeat buyers: the fit converges and every customer of it is predicted.
    const [usd] = await rows(wh, `select status, bgnbd_converged, gamma_gamma_converged, repeat_buyers from marts.clv_model where currency = 'USD'`);
    expect(usd).toMatchObject({ status: 'fitted', bgnbd_converged: true, gamma_gamma_converged: true });
    const [predicted] = await rows(wh, `select count(*) filter (where predicted_clv is null) missing, min(p_alive) lo, max(p_alive) hi from marts.dim_customers where currency = 'USD'`);
    expect(predicted?.['missing']).toBe(0);
    expect(Number(predicted?.['lo'])).toBeGreaterThanOrEqual(0);
    expect(Number(predicted?.['hi'])).toBeLessThanOrEqual(1);

    // Acquisition channels agree with the world's truth for the customers' first orders.
    const world = sample.world;
    const truth = world.commerce.orders.filter((o) => o.isFirstOrder && o.cancelledAt === null).map((o) => [String(o.customerId), o.truth.channelGroup]);
    await wh.run(`create temp table truth_channels (customer_id varchar, channel varchar)`);
    for (const [id, channel] of truth) await wh.run(`insert into truth_channels values ($1, $2)`, [id!, channel!]);
    const [agreement] = await rows(wh, `select avg(case when d.acquisition_channel = t.channel then 1 else 0 end) as share, count(*) as n
      from marts.dim_customers d inner join truth_channels t on pseudonym(t.customer_id) = d.customer_key`);
    expect(Number(agreement?.['n'])).toBeGreaterThan(100);
    expect(Number(agreement?.['share'])).toBeGreaterThan(0.9);

    // MRR ends where the world's subscription events add up to.
    const truthMrr = world.billing.subscriptionEvents.reduce((sum, e) => sum + e.mrrDeltaCents, 0) / 100;
    const [last] = await rows(wh, `select mrr_end::double mrr_end from marts.fct_subscription_mrr where currency = 'USD' order by month desc limit 1`);
    expect(Number(last?.['mrr_end'])).toBeCloseTo(truthMrr, 2);
  }, 120_000);
});
