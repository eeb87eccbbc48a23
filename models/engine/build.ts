/**
 * Builds models in DAG order: independent models in parallel (one connection and one
 * transaction each), skipping unchanged models and the downstream of failed ones, then runs
 * every built model's data tests and records it all in `meta.model_runs` / `meta.test_results`.
 */
import { performance } from 'node:perf_hooks';
import type { DuckDBConnection } from '@duckdb/node-api';
import pLimit from 'p-limit';
import PQueue from 'p-queue';
import { describeError, TerminalError } from '../../core/errors.ts';
import { silentLogger, type Logger } from '../../core/log.ts';
import { redact } from '../../core/redact.ts';
import { literal } from '../../core/sql.ts';
import { newRunId } from '../../core/runs.ts';
import type { Warehouse } from '../../core/warehouse.ts';
import { queryRows, relationKinds, withConnection } from './connection.ts';
import { recordTestResults, runModelTests, type Counted, type TestResult } from './data-tests.ts';
import { isKeyed, type ModelDef } from './define.ts';
import { inputHash, readLedgerSnapshot, recordModelRun, sqlHash, type BuildMode, type ModelStatus } from './ledger.ts';
import { discoverLineage, type Lineage } from './lineage.ts';
import { keyedInputs, planKeyedIncrement, type IncrementState } from './keyed-increment.ts';
import { materialize, type KeyedBuild } from './materialize.ts';
import { loadModels, type LoadedModel } from './registry.ts';
import { selectModels } from './selectors.ts';

/** Options for `buildModels`. */
export interface BuildOptions {
  /** Selectors (`name`, `+name`, `name+`, `tag:x`); all models when absent. */
  readonly select?: readonly string[];
  /** Rebuild every selected model from scratch, even unchanged and incremental ones. */
  readonly fullRefresh?: boolean;
  readonly log?: Logger;
  /** Models built at once (default 4: on 2 cores, more models overlap their single-threaded checks and tests). */
  readonly concurrency?: number;
  /** The run this build belongs to (default: a new run id). */
  readonly runId?: string;
  /** The clock for freshness tests and ledger timestamps. */
  readonly now?: () => Date;
  /**
   * DuckDB's memory limit while this build runs, restored afterwards; by default the build runs
   * under the warehouse's own limit (`warehouse.memoryLimit`).
   */
  readonly memoryLimit?: string;
  /**
   * The SQL of the macros models call, created by the caller: part of every model's hash, so a
   * changed setting (reporting time zone, attribution lookback) rebuilds every model in full
   * instead of reaching only the rows an incremental build recomputes.
   */
  readonly macros?: readonly string[];
}

/**
 * Runs `work` with DuckDB's memory limit set to `limit`, then restores the previous limit. DuckDB
 * refuses a limit below what it holds and cannot free; the build then runs under the old limit.
 */
async function withMemoryLimit<T>(wh: Warehouse, limit: string, log: Logger, work: () => Promise<T>): Promise<T> {
  const [row] = await wh.all<{ limit: string }>(`select current_setting('memory_limit') as limit`);
  try {
    await wh.run(`set memory_limit = ${literal(limit)}`);
  } catch (error) {
    log.warn('could not lower the memory limit for the build; building under the current one', { limit, current: row?.limit, error: describeError(error) });
  }
  try {
    return await work();
  } finally {
    if (row?.limit) await wh.run(`set memory_limit = ${literal(row.limit)}`);
  }
}

/** What happened to one model. */
export interface ModelResult {
  readonly model: string;
  readonly status: ModelStatus;
  /** Set on a skip caused by a source table that is not loaded (not by a failure). */
  readonly missingSource?: boolean;
  readonly mode: BuildMode | null;
  readonly rows: number | null;
  readonly rowsWritten: number | null;
  readonly durationMs: number;
  /** Why it failed, or why it was skipped. */
  readonly error?: string;
  /** For a skipped model: the upstream model whose failure blocked it. */
  readonly blockedBy?: string;
  /** For an incremental model rebuilt in full although its table existed: why it could not merge. */
  readonly fullReason?: string;
}

/** The outcome of a build. */
export interface BuildResult {
  readonly runId: string;
  /** True when no model failed or was skipped and every error-severity test passed. */
  readonly ok: boolean;
  /** Selected models, in build order. */
  readonly models: readonly ModelResult[];
  readonly tests: readonly TestResult[];
  readonly lineage: Lineage;
}

/**
 * The selected models whose raw/meta source tables do not exist, with the first missing table:
 * a source that is not configured (or not extracted yet) leaves its models out of the build
 * instead of failing everything else.
 */
function missingSources(models: readonly LoadedModel[], selected: ReadonlySet<string>, lineage: Lineage): Map<string, string> {
  const exists = new Map(lineage.nodes.filter((n) => n.kind === 'source').map((n) => [n.id, n.exists === true]));
  const missing = new Map<string, string>();
  for (const m of models) {
    if (!selected.has(m.name)) continue;
    const absent = (lineage.sources.get(m.name) ?? []).find((id) => !exists.get(id));
    if (absent) missing.set(m.name, absent);
  }
  return missing;
}

/**
 * The unique tests of `model` that passed in the latest earlier run that built it or found it
 * unchanged, with the tests run. Why that run: it is the model's last change before this build
 * (failed builds roll back), so a test that passed then saw the table this build started from;
 * a run that built the model but never got to its tests (a crash) has no result and counts as not passed.
 */
async function uniqueTestsPassedBefore(conn: DuckDBConnection, model: string, runId: string): Promise<Set<string>> {
  const rows = await queryRows<{ test: string }>(
    conn,
    `with previous as (
       select run_id from meta.model_runs where model = $1 and run_id <> $2 and status in ('succeeded', 'unchanged') order by seq desc limit 1
     )
     select test from meta.test_results where model = $1 and kind = 'unique' and status = 'pass' and run_id = (select run_id from previous)`,
    [model, runId],
  );
  return new Set(rows.map((r) => r.test));
}

/** A model's build time when the ledger has none (its first build): a typical small model's. */
const UNKNOWN_BUILD_MS = 100;

/**
 * Each selected model's critical path: its last build time plus the longest such path among the
 * selected models that read it. A free build slot goes to the ready model with the longest one,
 * so long chains start first. Why: in arrival order, a scale-10 incremental build started the
 * web events → sessions → touchpoints → conversions chain 3 s late, behind a dozen small staging
 * models, and that chain alone decided when the build ended.
 */
export function criticalPathMs(lineage: Lineage, selected: ReadonlySet<string>, lastBuildMs: ReadonlyMap<string, number>): Map<string, number> {
  const path = new Map<string, number>();
  for (const name of [...lineage.order].reverse()) {
    if (!selected.has(name)) continue;
    const after = Math.max(0, ...(lineage.downstream.get(name) ?? []).map((down) => path.get(down) ?? 0));
    path.set(name, (lastBuildMs.get(name) ?? UNKNOWN_BUILD_MS) + after);
  }
  return path;
}

/**
 * Builds the selected models in dependency order and runs their data tests.
 * Throws before building anything when the DAG is invalid (unknown table, cycle, missing source);
 * a model that fails to build is recorded as failed and its downstream as skipped.
 */
export async function buildModels(wh: Warehouse, defs: readonly ModelDef[], options: BuildOptions = {}): Promise<BuildResult> {
  const build = () => withoutInsertionOrder(wh, () => buildSelected(wh, defs, options));
  if (options.memoryLimit === undefined) return build();
  return withMemoryLimit(wh, options.memoryLimit, options.log ?? silentLogger, build);
}

/**
 * Runs `work` with DuckDB free to write rows in any order, then restores the setting. Keeping the
 * insertion order makes every `create table as` buffer rows it cannot write in order yet; without
 * it two full scale-10 builds took 79 and 93 s against 85 and 104 s. Model tables promise no row
 * order (readers sort), and the loader, which does rely on it (the last copy of a key in a batch
 * wins), never runs inside a build.
 */
async function withoutInsertionOrder<T>(wh: Warehouse, work: () => Promise<T>): Promise<T> {
  const [row] = await wh.all<{ keep: boolean }>(`select current_setting('preserve_insertion_order') as keep`);
  await wh.run('set preserve_insertion_order = false');
  try {
    return await work();
  } finally {
    await wh.run(`set preserve_insertion_order = ${row?.keep === false ? 'false' : 'true'}`);
  }
}

/** `buildModels` under the build's memory limit. */
async function buildSelected(wh: Warehouse, defs: readonly ModelDef[], options: BuildOptions): Promise<BuildResult> {
  const log = options.log ?? silentLogger;
  const now = options.now ?? (() => new Date());
  const runId = options.runId ?? newRunId(now());
  const models = loadModels(defs);
  const byName = new Map(models.map((m) => [m.name, m]));
  const lineage = await discoverLineage(wh.connection, models);
  const selected = selectModels(models, lineage, options.select);
  const noSource = missingSources(models, selected, lineage);
  if (noSource.size > 0) {
    log.warn('models whose source tables are not loaded are left out; run `pulse extract` for those sources, or remove the models', {
      models: [...noSource].map(([model, table]) => `${model} (${table})`).join(', '),
    });
  }
  // Started once every model without upstream has queued, so the first slots go by priority too.
  const slots = new PQueue({ concurrency: Math.max(1, options.concurrency ?? 4), autoStart: false });
  // Compute models run one at a time: their work is JavaScript on the one main thread, so running
  // two together saves no time but holds both inputs and working sets in the heap at once. They
  // take this lane before a build slot, so a compute model waiting its turn holds no slot.
  const computeLane = pLimit(1);
  const builtThisRun = new Map<string, string>();
  // Row-condition tests counted by each model's contract scan; its tests below only sample failures.
  const countedThisRun = new Map<string, ReadonlyMap<string, Counted>>();
  // Rows each incremental merge wrote, which narrow its unique tests (see WrittenRows).
  const writtenThisRun = new Map<string, string>();
  // Read once: each model's relation kind as the build starts (only its own build changes it),
  // the ledger's last runs, and which sources carry _loaded_at.
  const { kinds, snapshot } = await withConnection(
    () => wh.connect(),
    async (conn) => ({ kinds: await relationKinds(conn), snapshot: await readLedgerSnapshot(conn) }),
  );
  const priority = criticalPathMs(lineage, selected, snapshot.lastBuildMs);

  /** A keyed model's raw tables and, unless it is rebuilt in full anyway, whether it can merge changed groups. */
  const planKeyed = async (conn: DuckDBConnection, model: LoadedModel, fullAnyway: boolean): Promise<KeyedBuild> => {
    const inputs = await keyedInputs(conn, model, lineage, byName);
    return fullAnyway ? { sources: inputs.sources } : { sources: inputs.sources, plan: await planKeyedIncrement(conn, model, inputs, byName) };
  };

  const buildOne = (model: LoadedModel): Promise<ModelResult> =>
    withConnection(
      () => wh.connect(),
      async (conn) => {
        const startedAt = now();
        const started = performance.now();
        const hash = sqlHash(model, options.macros);
        let inputs: string | null = null;
        const ledgerRow = (status: ModelStatus, mode: BuildMode | null, rows: number | null, error: string | null, increment: IncrementState | null = null) => ({
          runId, model: model.name, status, mode, rows, durationMs: performance.now() - started, sqlHash: hash, inputHash: inputs, error, startedAt, increment,
        });
        try {
          inputs = await inputHash(conn, model, lineage, builtThisRun, snapshot);
          const last = snapshot.lastGoodHashes.get(model.name);
          const kind = kinds.get(`${model.layer}.${model.name}`);
          const sameKind = kind !== undefined && (kind === 'view') === (model.materialized === 'view');
          if (!options.fullRefresh && last && last.sqlHash === hash && last.inputHash === inputs && sameKind) {
            await recordModelRun(conn, ledgerRow('unchanged', null, null, null));
            log.info('model unchanged; skipped', { model: model.name });
            return { model: model.name, status: 'unchanged', mode: null, rows: null, rowsWritten: null, durationMs: performance.now() - started };
          }
          // Incremental merges assume the old rows came from the same SQL; new SQL means a full rebuild.
          const full = options.fullRefresh === true || !last || last.sqlHash !== hash;
          const keyed = model.incremental && isKeyed(model.incremental) ? await planKeyed(conn, model, full || kind !== 'table') : undefined;
          const { testCounts, ...result } = await materialize(conn, model, {
            full,
            existing: kind,
            runId,
            ...(keyed ? { keyed } : {}),
            beforeCommit: (r) => recordModelRun(conn, ledgerRow('succeeded', r.mode, r.rows, null, r.increment ?? null)),
          });
          if (result.fullReason) log.info('incremental model rebuilt in full', { model: model.name, reason: result.fullReason });
          builtThisRun.set(model.name, runId);
          countedThisRun.set(model.name, testCounts);
          if (result.written) writtenThisRun.set(model.name, result.written);
          log.info('model built', { model: model.name, mode: result.mode, rows: result.rows ?? undefined, rowsWritten: result.rowsWritten ?? undefined });
          const { increment: _recorded, written: _written, ...outcome } = result;
          return { model: model.name, status: 'succeeded', ...outcome, durationMs: performance.now() - started };
        } catch (error) {
          const message = redact(describeError(error));
          await recordModelRun(conn, ledgerRow('failed', null, null, message));
          log.error('model failed', { model: model.name, error: message });
          return { model: model.name, status: 'failed', mode: null, rows: null, rowsWritten: null, durationMs: performance.now() - started, error: message };
        }
      },
    );

  const skip = async (model: LoadedModel, blockedBy: string, missingSource = false): Promise<ModelResult> => {
    const error = missingSource ? `skipped: source ${blockedBy} is not loaded (run \`pulse extract\` for it)` : `skipped: upstream model ${blockedBy} failed`;
    await withConnection(() => wh.connect(), (conn) =>
      recordModelRun(conn, { runId, model: model.name, status: 'skipped', mode: null, rows: null, durationMs: 0, sqlHash: sqlHash(model, options.macros), inputHash: null, error, startedAt: now() }),
    );
    if (!missingSource) log.warn('model skipped', { model: model.name, blockedBy });
    return { model: model.name, status: 'skipped', mode: null, rows: null, rowsWritten: null, durationMs: 0, error, blockedBy, ...(missingSource ? { missingSource: true } : {}) };
  };

  // Each model waits for its selected upstream models, then queues for a build slot; the
  // topological order guarantees an upstream's promise exists before its downstream asks for it.
  const pending = new Map<string, Promise<ModelResult>>();
  for (const name of lineage.order) {
    if (!selected.has(name)) continue;
    const model = byName.get(name) as LoadedModel;
    const ups = (lineage.upstream.get(name) ?? []).flatMap((up) => pending.get(up) ?? []);
    pending.set(
      name,
      Promise.all(ups).then((upResults) => {
        const absent = noSource.get(name);
        if (absent) return skip(model, absent, true);
        const blocked = upResults.find((r) => r.status === 'failed' || (r.status === 'skipped' && !r.missingSource)) ?? upResults.find((r) => r.status === 'skipped');
        if (blocked) return skip(model, blocked.blockedBy ?? blocked.model, blocked.missingSource === true);
        const build = () => slots.add(() => buildOne(model), { priority: priority.get(name) ?? 0 });
        return model.compute ? computeLane(build) : build();
      }),
    );
  }
  await new Promise((resolveTick) => setImmediate(resolveTick));
  slots.start();
  const results = await Promise.all(pending.values());

  // Tests run after every build so that relationship tests see their parent tables' new state, and
  // because, independent of each other, they fill both cores at the end, where the build's last chain
  // leaves one idle. Run as soon as each model was built, they took CPU from the long chains instead:
  // a scale-10 full build took 87–89 s against 67–77 s.
  const testable = results.filter((r) => r.status === 'succeeded' || r.status === 'unchanged').map((r) => byName.get(r.model) as LoadedModel);
  const ctx = { models: byName, now };
  const testResults = (
    await Promise.all(
      testable.map((model) =>
        slots.add(() =>
          withConnection(
            () => wh.connect(),
            async (conn) => {
              const condition = writtenThisRun.get(model.name);
              const written = condition === undefined ? undefined : { condition, uniquePassedBefore: await uniqueTestsPassedBefore(conn, model.name, runId) };
              const tested = await runModelTests(conn, model, ctx, countedThisRun.get(model.name), written);
              await recordTestResults(conn, runId, tested, now());
              return tested;
            },
          ),
        ),
      ),
    )
  ).flat();
  for (const t of testResults) {
    if (t.status === 'pass') continue;
    const fields = { model: t.model, test: t.test, severity: t.severity, failingRows: t.failingRows ?? undefined, error: t.error ?? undefined };
    if (t.severity === 'error') log.error('data test did not pass', fields);
    else log.warn('data test did not pass', fields);
  }
  // Models left out for lack of a source do not make a build fail; failures and their fallout do.
  const ok = results.every((r) => r.status === 'succeeded' || r.status === 'unchanged' || r.missingSource === true) && testResults.every((t) => t.severity === 'warn' || t.status === 'pass');
  return { runId, ok, models: results, tests: testResults, lineage };
}
