/**
 * On the sample world: an incremental build of the product's incremental models yields exactly
 * the table a full rebuild yields (each text of fct_feedback is scored once; a build after new
 * texts arrive scores only those; web events, sessions and their mart merge their lookback window).
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { openWarehouse } from '../../core/warehouse.ts';
import { buildSource } from '../../connectors/registry.ts';
import { PRODUCT_MODELS } from '../../models/index.ts';
import type { ModelDef } from '../../models/engine/index.ts';
import { startSampleWorld } from '../../jobs/sample.ts';
import { buildStep, runExtract } from '../../jobs/steps.ts';

describe('incremental models on the sample world', () => {
  it('an incremental build after late texts and web events equals a full rebuild', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pulse-incremental-'));
    const sample = await startSampleWorld({ dir, scale: 0.02 });
    const models: readonly ModelDef[] = PRODUCT_MODELS;
    const incremental = models.filter((m) => m.materialized === 'incremental').map((m) => m.name);
    expect(incremental).toEqual(expect.arrayContaining(['fct_feedback', 'stg_web_events__events', 'int_sessions', 'fct_web_sessions']));
    const full = join(dir, 'warehouse.duckdb');
    const partial = join(dir, 'partial.duckdb');
    let wh = await openWarehouse(full);
    try {
      const sources = Object.entries(sample.config.sources).map(([name, raw]) => buildSource(name, raw, dir));
      const extract = await runExtract(wh, sources, { log: silentLogger });
      expect(extract.status).toBe('succeeded');
    } finally {
      wh.close();
      await sample.close();
    }
    copyFileSync(full, partial);
    wh = await openWarehouse(full);
    try {
      expect((await buildStep(wh, { log: silentLogger })).status).toBe('succeeded');
    } finally {
      wh.close();
    }

    // The same raw data, but the newest survey answers and ticket comments, and some web events of
    // the last five days (inside the web models' 7-day lookback), arrive only after a first build:
    // the second build is incremental and must end where the full build ended.
    wh = await openWarehouse(partial);
    try {
      await wh.run(`create table main.late_answers as select * from raw.surveys__responses where responded_at >= (select quantile_disc(responded_at, 0.8) from raw.surveys__responses)`);
      await wh.run(`create table main.late_comments as select * from raw.zendesk__ticket_comments where created_at >= (select quantile_disc(created_at, 0.8) from raw.zendesk__ticket_comments)`);
      await wh.run(`delete from raw.surveys__responses where response_id in (select response_id from main.late_answers)`);
      await wh.run(`delete from raw.zendesk__ticket_comments where id in (select id from main.late_comments)`);
      // A third of the last five days' events (by event id, in both exports), so late events fall
      // between ones already loaded and land in sessions that already exist.
      const [latest] = await wh.all<{ since: string }>(`select (max(event_timestamp) - interval 5 days)::varchar as since from raw.web_events__events`);
      const lateEvents = `event_timestamp >= '${latest!.since}'::timestamptz and hash(event_id) % 3 = 0`;
      for (const table of ['web_events__events', 'web_events__events_csv']) {
        await wh.run(`create table main.late_${table} as select * from raw.${table} where ${lateEvents}`);
        await wh.run(`delete from raw.${table} where ${lateEvents}`);
      }
      expect((await buildStep(wh, { log: silentLogger })).status).toBe('succeeded');
      await wh.run(`insert into raw.surveys__responses select * from main.late_answers`);
      await wh.run(`insert into raw.zendesk__ticket_comments select * from main.late_comments`);
      for (const table of ['web_events__events', 'web_events__events_csv']) await wh.run(`insert into raw.${table} select * from main.late_${table}`);
      const second = await buildStep(wh, { log: silentLogger });
      for (const name of ['fct_feedback', 'stg_web_events__events', 'int_sessions', 'fct_web_sessions']) {
        const result = second.build.models.find((m) => m.model === name);
        expect(result, name).toMatchObject({ status: 'succeeded', mode: 'incremental' });
        expect(result?.rowsWritten, name).toBeGreaterThan(0);
      }
      await wh.run(`attach '${full}' as fullbuild (read_only)`);
      for (const name of incremental) {
        const model = models.find((m) => m.name === name)!;
        const table = `${model.layer}.${name}`;
        const [diff] = await wh.all<{ only_incremental: number; only_full: number }>(
          `select (select count(*) from (select * from ${table} except all select * from fullbuild.${table}))::int as only_incremental,
                  (select count(*) from (select * from fullbuild.${table} except all select * from ${table}))::int as only_full`,
        );
        expect(diff, `${table} differs from the full rebuild`).toEqual({ only_incremental: 0, only_full: 0 });
      }
    } finally {
      wh.close();
    }
  }, 300_000);
});
