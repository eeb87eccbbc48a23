/**
 * The model build engine: define typed SQL models, build them in DAG order with contracts,
 * incremental merges and data tests, document them, and publish the marts.
 */
export { defineModel, isKeyed, resolveSqlPath, LAYERS } from './define.ts';
export type {
  ColumnContract,
  ColumnContracts,
  DataTest,
  IncrementalConfig,
  KeyedIncremental,
  WindowIncremental,
  Layer,
  Materialization,
  ModelDef,
  Severity,
} from './define.ts';
export type { Database, DuckDBTsType, RowOf } from './database-type.ts';
export { loadModels, type LoadedModel, type NamedTest } from './registry.ts';
export { extractTableRefs, type TableRef } from './dependencies.ts';
export { discoverLineage, topologicalOrder, type Lineage, type LineageEdge, type LineageNode } from './lineage.ts';
export { parseSelector, selectModels } from './selectors.ts';
export { ContractError, contractDiff } from './contracts.ts';
export { testName, type TestResult } from './data-tests.ts';
export { buildModels, type BuildOptions, type BuildResult, type ModelResult } from './build.ts';
export { publish, failingGateTests, type PublishOptions, type PublishResult } from './publish.ts';
export { renderDocs, type Docs, type DocsNode } from './docs.ts';
export { DuckDBDialect, DuckDBDriver, DuckDBAdapter, DuckDBIntrospector, type DuckDBDialectConfig } from './kysely-duckdb.ts';
