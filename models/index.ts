/**
 * The product's model registry: every staging and mart model the build and publish run over, and
 * the Kysely database type derived from their contracts.
 *
 * @example
 * const db = new Kysely<WarehouseDatabase>({ dialect: new DuckDBDialect({ instance }) });
 */
import type { Database } from './engine/index.ts';
import { MART_MODELS } from './marts/index.ts';
import { STAGING_MODELS } from './staging/index.ts';
import { INTERMEDIATE_MODELS } from './intermediate/index.ts';

/** Every model of the product, staging, intermediate, then marts (the build orders them by lineage anyway). */
export const PRODUCT_MODELS = [...STAGING_MODELS, ...INTERMEDIATE_MODELS, ...MART_MODELS] as const;

/** Table and column types of every model, keyed `layer.name`, for `Kysely<WarehouseDatabase>`. */
export type WarehouseDatabase = Database<typeof PRODUCT_MODELS>;
