import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../../models/engine/database-type.ts';
import { defineModel } from '../../../models/engine/define.ts';
import { DuckDBDialect } from '../../../models/engine/kysely-duckdb.ts';

const fctCampaigns = defineModel({
  name: 'fct_campaigns',
  layer: 'marts',
  sql: 'unused.sql',
  materialized: 'table',
  grain: 'campaign × day',
  uniqueKey: ['campaign_id', 'day'],
  description: 'Campaign spend per day.',
  columns: {
    campaign_id: { type: 'VARCHAR', description: 'Campaign.' },
    day: { type: 'DATE', description: 'Day.' },
    clicks: { type: 'BIGINT', description: 'Clicks.' },
    spend: { type: 'DECIMAL(18,2)', description: 'Spend.' },
    roas: { type: 'DOUBLE', description: 'ROAS.', nullable: true },
    is_provisional: { type: 'BOOLEAN', description: 'Inside the restatement window.' },
  },
});
type DB = Database<[typeof fctCampaigns]>;

let db: Kysely<DB> | undefined;
let instance: DuckDBInstance | undefined;
afterEach(async () => {
  await db?.destroy();
  db = undefined;
  instance?.closeSync();
  instance = undefined;
});

async function open(): Promise<Kysely<DB>> {
  const dir = mkdtempSync(join(tmpdir(), 'pulse-kysely-'));
  instance = await DuckDBInstance.create(join(dir, 'analytics.duckdb'));
  const setup = await instance.connect();
  await setup.run(`create schema marts;
    create table marts.fct_campaigns (campaign_id varchar, day date, clicks bigint, spend decimal(18,2), roas double, is_provisional boolean);
    insert into marts.fct_campaigns values
      ('spring', '2026-03-01', 120, 50.00, 2.5, false),
      ('spring', '2026-03-02', 9007199254740993, 10.25, null, true),
      ('autumn', '2026-03-01', 7, 3.00, 0.5, false)`);
  setup.closeSync();
  db = new Kysely<DB>({ dialect: new DuckDBDialect({ instance }) });
  return db;
}

describe('DuckDBDialect', () => {
  it('compiles typed selects with $n parameters and returns plain rows', async () => {
    const db = await open();
    const query = db
      .selectFrom('marts.fct_campaigns')
      .select(['campaign_id', 'clicks', 'roas', 'is_provisional'])
      .where('campaign_id', '=', 'spring')
      .where('day', '>=', new Date('2026-03-01T00:00:00Z'))
      .orderBy('day');
    expect(query.compile().sql).toBe(
      'select "campaign_id", "clicks", "roas", "is_provisional" from "marts"."fct_campaigns" where "campaign_id" = $1 and "day" >= $2 order by "day"',
    );
    const rows = await query.execute();
    // BIGINT becomes a number when exact, and stays a bigint when it would lose precision.
    expect(rows).toEqual([
      { campaign_id: 'spring', clicks: 120, roas: 2.5, is_provisional: false },
      { campaign_id: 'spring', clicks: 9007199254740993n, roas: null, is_provisional: true },
    ]);
    const total = await db
      .selectFrom('marts.fct_campaigns')
      .select((eb) => [eb.fn.sum<number>('spend').as('spend'), sql<number>`count(*)`.as('n')])
      .executeTakeFirstOrThrow();
    expect(total).toEqual({ spend: 63.25, n: 3 });
  });

  it('reports affected rows for writes, supports returning, transactions and streaming', async () => {
    const db = await open();
    const updated = await db.updateTable('marts.fct_campaigns').set({ is_provisional: false }).where('campaign_id', '=', 'spring').executeTakeFirst();
    expect(updated.numUpdatedRows).toBe(2n);
    const inserted = await db
      .insertInto('marts.fct_campaigns')
      .values({ campaign_id: 'winter', day: '2026-03-03', clicks: 1, spend: 1, roas: null, is_provisional: true })
      .returning(['campaign_id'])
      .execute();
    expect(inserted).toEqual([{ campaign_id: 'winter' }]);
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.deleteFrom('marts.fct_campaigns').execute();
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    const streamed: string[] = [];
    for await (const row of db.selectFrom('marts.fct_campaigns').select('campaign_id').orderBy('campaign_id').stream(2)) streamed.push(row.campaign_id);
    expect(streamed).toEqual(['autumn', 'spring', 'spring', 'winter']);
  });

  it('rethrows DuckDB errors with the caller in the stack', async () => {
    const db = await open();
    const error = await sql`select * from marts.nope`.execute(db).catch((e: unknown) => e as Error);
    expect((error as Error).message).toMatch(/Table with name nope does not exist/);
    expect((error as Error).stack).toContain('kysely-duckdb.test.ts');
  });

  it('lists tables through the introspector', async () => {
    const db = await open();
    await sql`comment on column marts.fct_campaigns.roas is 'Return on ad spend.'`.execute(db);
    const tables = await db.introspection.getTables();
    expect(tables.map((t) => `${t.schema}.${t.name}`)).toEqual(['marts.fct_campaigns']);
    expect(tables[0]?.columns.find((c) => c.name === 'roas')).toEqual({
      name: 'roas', dataType: 'DOUBLE', isNullable: true, hasDefaultValue: false, isAutoIncrementing: false, comment: 'Return on ad spend.',
    });
    expect((await db.introspection.getSchemas()).map((s) => s.name)).toContain('marts');
  });
});
