/**
 * Compile-time checks of the `Database` type (run by `npm run typecheck`, never executed):
 * each `@ts-expect-error` line must fail to compile, so a misspelt table or column is caught.
 */
import { Kysely } from 'kysely';
import type { Database, DuckDBTsType, RowOf } from '../../../models/engine/database-type.ts';
import { defineModel } from '../../../models/engine/define.ts';
import type { DuckDBDialect } from '../../../models/engine/kysely-duckdb.ts';
import { MODELS } from './helpers.ts';

const fctCampaignPerformance = defineModel({
  name: 'fct_campaign_performance',
  layer: 'marts',
  sql: 'sql/marts/fct_campaign_performance.sql',
  materialized: 'table',
  grain: 'campaign × day',
  uniqueKey: ['campaign_id', 'day'],
  description: 'Spend and return per campaign per day.',
  columns: {
    campaign_id: { type: 'VARCHAR', description: 'Campaign.' },
    day: { type: 'DATE', description: 'Day.' },
    clicks: { type: 'BIGINT', description: 'Clicks.' },
    roas: { type: 'DOUBLE', description: 'ROAS.', nullable: true },
    is_provisional: { type: 'BOOLEAN', description: 'Inside the restatement window.' },
    utm: { type: 'JSON', description: 'UTM tags.' },
    tags: { type: 'VARCHAR[]', description: 'Labels.' },
  },
});

type DB = Database<[...typeof MODELS, typeof fctCampaignPerformance]>;

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(_: T) => undefined;

assertType<Equal<DuckDBTsType<'DECIMAL(18,2)'>, number>>(true);
assertType<Equal<DuckDBTsType<'timestamptz'>, Date | string>>(true);
assertType<Equal<DuckDBTsType<'INTEGER[]'>, number[]>>(true);
assertType<Equal<DuckDBTsType<'JSON'>, unknown>>(true);
assertType<
  Equal<
    RowOf<typeof fctCampaignPerformance>,
    { campaign_id: string; day: Date | string; clicks: number; roas: number | null; is_provisional: boolean; utm: unknown; tags: string[] }
  >
>(true);
assertType<Equal<keyof DB, 'staging.stg_shop__orders' | 'staging.stg_shop__customers' | 'marts.fct_daily_revenue' | 'marts.dim_customers' | 'marts.fct_campaign_performance'>>(true);

/** Never called: the body only has to compile (or fail to, where marked). */
export async function typedQueries(dialect: DuckDBDialect): Promise<void> {
  const db = new Kysely<DB>({ dialect });
  const rows = await db.selectFrom('marts.fct_campaign_performance').select(['campaign_id', 'roas']).where('is_provisional', '=', false).execute();
  const first: { campaign_id: string; roas: number | null } | undefined = rows[0];
  void first;

  // @ts-expect-error a misspelt column does not compile
  await db.selectFrom('marts.fct_campaign_performance').select(['campaign_id', 'rosa']).execute();
  // @ts-expect-error a misspelt table does not compile
  await db.selectFrom('marts.fct_campaign_preformance').selectAll().execute();
  // @ts-expect-error a model is addressed by its layer: marts.stg_shop__orders does not exist
  await db.selectFrom('marts.stg_shop__orders').selectAll().execute();
  // @ts-expect-error roas is nullable, so it is not a plain number
  const roas: number = (await db.selectFrom('marts.fct_campaign_performance').select('roas').executeTakeFirstOrThrow()).roas;
  void roas;

  defineModel({
    name: 'bad_key',
    layer: 'marts',
    sql: 'x.sql',
    materialized: 'table',
    grain: 'row',
    // @ts-expect-error the unique key must name contracted columns
    uniqueKey: ['idd'],
    description: 'x',
    columns: { id: { type: 'INTEGER', description: 'id' } },
  });
}
