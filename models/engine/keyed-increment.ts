/**
 * Keyed incremental models: instead of a time window, a build recomputes only the groups of rows
 * (values of `incremental.by`: an order, a customer) whose inputs changed since the model's last
 * build, however old they are. What changed is known from three records:
 * - raw tables stamp every loaded or restated row with `_loaded_at`, and each keyed build stores
 *   the latest stamp and row count of every raw table its `changed` SQL reads (`meta.model_increments`);
 * - window models store the window start each incremental build recomputed;
 * - keyed models store the groups each build changed (`meta.model_changes`): a recomputed group
 *   whose rows came out the same is neither rewritten nor listed, so downstream skips it too.
 * The model's `changed` SQL turns those into the groups to rebuild; whenever the records cannot
 * say what changed (an upstream table rebuilt in full, rows removed from a raw table, no record
 * of the last build), the model is rebuilt in full instead, and the reason is logged.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { TerminalError } from '../../core/errors.ts';
import { ident, literal, qualified, sqlType } from '../../core/sql.ts';
import { exec, queryRows } from './connection.ts';
import { isKeyed, type KeyedIncremental } from './define.ts';
import { extractTableRefs } from './dependencies.ts';
import { SOURCE_SCHEMAS, type Lineage } from './lineage.ts';
import { replaceChangedGroups } from './merge.ts';
import type { LoadedModel } from './registry.ts';

/** The latest `_loaded_at` (as text; null for an empty table) and row count of a raw table at a build. */
export interface SourceMark {
  readonly loadedThrough: string | null;
  readonly rows: number;
}

/** What an incremental build covered, kept as JSON in `meta.model_increments`. */
export interface IncrementState {
  /** Keyed models: each raw table the `changed` SQL reads, as of this build. */
  readonly sources?: Readonly<Record<string, SourceMark>>;
  /** Keyed models built incrementally: how many groups changed (listed in `meta.model_changes`). */
  readonly keys?: number;
  /** Keyed models built incrementally: how many groups were recomputed (those the changed SQL selected). */
  readonly recomputed?: number;
  /** Window models built incrementally: the start of the recomputed window (the event time, as text). */
  readonly windowStart?: string;
}

/** The macro through which a keyed model's SQL narrows its inputs to the groups being rebuilt. */
export const IN_INCREMENT_MACRO = 'pulse_in_increment';

/** Sets `pulse_in_increment(k)` to true for every group (a full build, or any table build on this connection). */
export async function allowEveryGroup(conn: DuckDBConnection): Promise<void> {
  await exec(conn, `create or replace temp macro ${IN_INCREMENT_MACRO}(k) as true`);
}

/** How many recent builds of a keyed model keep their changed groups in `meta.model_changes`. */
export const KEPT_CHANGE_BUILDS = 20;

/** A keyed build that can narrow to changed groups: what the previous build covered and what changed upstream. */
export interface KeyedPlan {
  readonly kind: 'keys';
  /** Raw tables the `changed` SQL reads → their mark at the last build. */
  readonly previous: ReadonlyMap<string, SourceMark>;
  /** Upstream window models → the earliest window start recomputed since (`infinity`: unchanged). */
  readonly upstreamWindows: ReadonlyMap<string, string>;
  /** Upstream keyed models → the runs whose changed groups count. */
  readonly upstreamKeyRuns: ReadonlyMap<string, readonly string[]>;
}

/** A keyed model that must be rebuilt in full this time, and why. */
export interface FullRebuild {
  readonly kind: 'full';
  readonly reason: string;
}

interface RunRow {
  seq: number;
  run_id: string;
  mode: string | null;
  increment: string | null;
}

const parseState = (text: string | null): IncrementState => (text ? (JSON.parse(text) as IncrementState) : {});

/** The models a model reads directly or through views, and the raw tables it reads directly or through views. */
function readsThroughViews(model: LoadedModel, lineage: Lineage, byName: ReadonlyMap<string, LoadedModel>): { models: Set<string>; sources: Set<string> } {
  const models = new Set<string>();
  const sources = new Set<string>(lineage.sources.get(model.name) ?? []);
  const pending = [...(lineage.upstream.get(model.name) ?? [])];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    const up = byName.get(name);
    if (!up || models.has(name)) continue;
    if (up.materialized !== 'view') {
      models.add(name);
      continue;
    }
    for (const s of lineage.sources.get(name) ?? []) sources.add(s);
    pending.push(...(lineage.upstream.get(name) ?? []));
  }
  return { models, sources };
}

/** What a keyed model reads that its changes come from: the raw tables its `changed` SQL reads, and the table models upstream of it (directly or through views). */
export interface KeyedInputs {
  readonly sources: readonly string[];
  readonly upstream: readonly string[];
}

/**
 * The inputs of a keyed model (`KeyedInputs`); throws when it misses a raw table the model
 * reads (directly or through views), since changes there would never be rebuilt, when the model
 * reads a `meta` table (no `_loaded_at` to follow), or when the changed SQL reads a model that is
 * neither upstream nor the model itself.
 */
export async function keyedInputs(conn: DuckDBConnection, model: LoadedModel, lineage: Lineage, byName: ReadonlyMap<string, LoadedModel>): Promise<KeyedInputs> {
  const config = model.incremental as KeyedIncremental;
  const refs = await extractTableRefs(conn, model.changedSqlText ?? '');
  const read = readsThroughViews(model, lineage, byName);
  const upstreamAll = new Set<string>();
  const pending = [model.name];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    for (const up of lineage.upstream.get(name) ?? []) {
      if (upstreamAll.has(up)) continue;
      upstreamAll.add(up);
      pending.push(up);
    }
  }
  const sources = new Set<string>();
  for (const ref of refs) {
    const id = `${ref.schema}.${ref.table}`;
    if ((SOURCE_SCHEMAS as readonly string[]).includes(ref.schema)) sources.add(id);
    else if (ref.schema === '') continue; // pulse_upstream_keys and other temporary tables of the build
    else if (id !== model.relation && ![...upstreamAll].some((name) => byName.get(name)?.relation === id)) {
      throw new TerminalError(`the changed SQL of model ${model.name} reads ${id}, which the model does not read (directly or upstream)`, {
        context: { file: config.changed },
        hint: 'the changed SQL may read the raw tables and models upstream of the model, and the model itself',
      });
    }
  }
  const unstamped = [...read.sources].filter((s) => !s.startsWith('raw.')).sort();
  if (unstamped.length > 0) {
    throw new TerminalError(`model ${model.name} is keyed incremental but reads ${unstamped.join(', ')}, which carries no _loaded_at: its changes could not be followed`, {
      context: { file: config.changed },
      hint: 'make the model a table (or read those tables in an upstream table model)',
    });
  }
  const missed = [...read.sources].filter((s) => !sources.has(s)).sort();
  if (missed.length > 0) {
    throw new TerminalError(`the changed SQL of model ${model.name} does not read ${missed.join(', ')}, which the model reads: rows loaded there would never be rebuilt`, {
      context: { file: config.changed },
      hint: `select the ${config.by} values affected by rows of those tables loaded after pulse_loaded_after('<table>')`,
    });
  }
  return { sources: [...sources].filter((s) => s.startsWith('raw.')).sort(), upstream: [...read.models].sort() };
}

/**
 * Decides whether a keyed model can narrow this build to changed groups: it needs the marks of
 * its last build and, for every table model it reads (directly or through views), either no
 * build since, or only incremental builds that recorded what they recomputed.
 */
export async function planKeyedIncrement(
  conn: DuckDBConnection,
  model: LoadedModel,
  inputs: KeyedInputs,
  byName: ReadonlyMap<string, LoadedModel>,
): Promise<KeyedPlan | FullRebuild> {
  const [last] = await queryRows<RunRow>(
    conn,
    `select seq, run_id, mode, increment from meta.model_runs left join meta.model_increments using (run_id, model)
     where model = $1 and status = 'succeeded' order by seq desc limit 1`,
    [model.name],
  );
  const marks = parseState(last?.increment ?? null).sources;
  if (!last || !marks) return { kind: 'full', reason: 'no record of what its last build covered' };
  const previous = new Map<string, SourceMark>();
  for (const source of inputs.sources) {
    const mark = marks[source];
    if (!mark) return { kind: 'full', reason: `its last build did not record ${source}` };
    previous.set(source, mark);
  }
  const upstreamWindows = new Map<string, string>();
  const upstreamKeyRuns = new Map<string, string[]>();
  for (const name of inputs.upstream) {
    const up = byName.get(name) as LoadedModel;
    const runs = await queryRows<RunRow>(
      conn,
      `select seq, run_id, mode, increment from meta.model_runs left join meta.model_increments using (run_id, model)
       where model = $1 and status = 'succeeded' and seq > $2 order by seq`,
      [name, last.seq],
    );
    if (runs.length === 0) {
      if (up.incremental && !isKeyed(up.incremental)) upstreamWindows.set(name, 'infinity');
      continue;
    }
    const full = runs.find((r) => r.mode !== 'incremental');
    if (full) return { kind: 'full', reason: `upstream model ${name} was rebuilt in full since` };
    if (up.incremental && isKeyed(up.incremental)) {
      if (runs.length > KEPT_CHANGE_BUILDS) return { kind: 'full', reason: `upstream model ${name} was built ${runs.length} times since (only the last ${KEPT_CHANGE_BUILDS} keep their groups)` };
      upstreamKeyRuns.set(name, runs.map((r) => r.run_id));
    } else if (up.incremental) {
      const starts = runs.map((r) => parseState(r.increment).windowStart);
      if (starts.some((s) => s === undefined)) return { kind: 'full', reason: `upstream model ${name} did not record the window it recomputed` };
      const values = starts.map((start) => `(${literal(start as string)})`).join(', ');
      const [earliest] = await queryRows<{ start: string }>(conn, `select min(cast(s as timestamptz))::varchar as start from (values ${values}) as t(s)`);
      upstreamWindows.set(name, earliest?.start ?? '-infinity');
    } else {
      return { kind: 'full', reason: `upstream model ${name} changed and records no increment` };
    }
  }
  return { kind: 'keys', previous, upstreamWindows, upstreamKeyRuns };
}

/** Reads the current mark of each raw table (inside the build's transaction, so it matches what the build reads). */
export async function readMarks(conn: DuckDBConnection, sources: Iterable<string>): Promise<Record<string, SourceMark>> {
  const marks: Record<string, SourceMark> = {};
  for (const source of sources) {
    const [schema, table] = source.split('.') as [string, string];
    const [row] = await queryRows<{ rows: number; through: string | null }>(conn, `select count(*) as rows, max(_loaded_at)::varchar as through from ${qualified(schema, table)}`);
    marks[source] = { loadedThrough: row?.through ?? null, rows: Number(row?.rows ?? 0) };
  }
  return marks;
}

/**
 * Says whether rows were removed from a raw table since a build, which no stamp shows: fewer rows
 * than then, or none left from then (a `replace` stream rewrote the table). Loads only ever remove
 * rows that way or together with newer rows of the same key or parent, which the stamps show.
 */
async function removedRows(conn: DuckDBConnection, source: string, before: SourceMark, now: SourceMark): Promise<string | undefined> {
  if (now.rows < before.rows) return `${source} has fewer rows than at the last build (${now.rows} < ${before.rows})`;
  if (before.rows === 0 || before.loadedThrough === null) return undefined;
  const [schema, table] = source.split('.') as [string, string];
  const [kept] = await queryRows<{ n: number }>(conn, `select count(*) as n from ${qualified(schema, table)} where _loaded_at <= cast(${literal(before.loadedThrough)} as timestamptz)`);
  return Number(kept?.n ?? 0) === 0 ? `${source} was replaced since the last build (no row of then is left)` : undefined;
}

/** A `case` over constant names, erroring for a name it does not know (a typo must not read as "nothing changed"). */
function lookupMacro(name: string, entries: readonly [string, string][], what: string): string {
  const unknown = `error(${literal(`${name}(`)} || t || ${literal(`): ${what}`)})`;
  if (entries.length === 0) return `create or replace temp macro ${name}(t) as cast(${unknown} as timestamptz)`;
  const cases = entries.map(([key, value]) => `when ${literal(key)} then cast(${literal(value)} as timestamptz)`).join(' ');
  return `create or replace temp macro ${name}(t) as case t ${cases} else ${unknown} end`;
}

/** Sets up the macros and the upstream-keys table the `changed` SQL reads. */
async function defineChangeMacros(conn: DuckDBConnection, model: LoadedModel, plan: KeyedPlan): Promise<void> {
  await exec(
    conn,
    lookupMacro('pulse_loaded_after', [...plan.previous].map(([source, mark]) => [source, mark.loadedThrough ?? '-infinity']), `not a raw table the changed SQL of ${model.name} reads`),
  );
  await exec(conn, lookupMacro('pulse_rebuilt_from', [...plan.upstreamWindows], `not an upstream window model of ${model.name}`));
  const runs = [...plan.upstreamKeyRuns].flatMap(([name, ids]) => ids.map((id) => `(${literal(name)}, ${literal(id)})`));
  await exec(
    conn,
    `create or replace temp table pulse_upstream_keys as select distinct model, key from meta.model_changes ${runs.length ? `where (model, run_id) in (${runs.join(', ')})` : 'where false'}`,
  );
}

/** The outcome of a keyed merge: rows written and the state to record, or why it fell back to a full build. */
export type KeyedMerge =
  | {
      readonly merged: true;
      readonly rowsWritten: number;
      readonly increment: IncrementState;
      /** A condition on the model's table selecting the rows written (those of the changed groups). */
      readonly written: string;
    }
  | { readonly merged: false; readonly reason: string };

/**
 * Rebuilds the changed groups of a keyed model inside the caller's transaction: runs the
 * `changed` SQL for the groups, recomputes them, replaces those whose rows differ from the table's,
 * and records those in `meta.model_changes` (keeping the last builds' only). Falls back (returns
 * `merged: false`) when rows were removed from a raw table since the last build (`removedRows`).
 */
export async function mergeKeyed(conn: DuckDBConnection, model: LoadedModel, plan: KeyedPlan, runId: string, subquery: string): Promise<KeyedMerge> {
  const config = model.incremental as KeyedIncremental;
  const marks = await readMarks(conn, plan.previous.keys());
  for (const [source, before] of plan.previous) {
    const removed = await removedRows(conn, source, before, marks[source] as SourceMark);
    if (removed) return { merged: false, reason: removed };
  }
  await defineChangeMacros(conn, model, plan);
  const by = ident(config.by);
  const keys = ident(`pulse_keys_${model.name}`);
  const type = sqlType(model.columns[config.by]?.type ?? 'VARCHAR');
  await exec(conn, `create or replace temp table ${keys} as select distinct cast(key as ${type}) as key from (\n${model.changedSqlText}\n) as changed where key is not null`);
  await exec(conn, `create or replace temp macro ${IN_INCREMENT_MACRO}(k) as k in (select key from ${keys})`);
  const [candidates] = await queryRows<{ n: number }>(conn, `select count(*) as n from ${keys}`);
  const written = await replaceChangedGroups(conn, model, {
    select: `select * from ${subquery} where ${ident(model.name)}.${by} in (select key from ${keys})`,
    groupBy: [config.by],
    stored: (projection) => `select ${projection} from ${qualified(model.layer, model.name)} where ${by} in (select key from ${keys})`,
    onChanged: (changed) => exec(conn, `insert into meta.model_changes (run_id, model, key) select ${literal(runId)}, ${literal(model.name)}, ${by}::varchar from ${changed}`),
  });
  await exec(
    conn,
    `delete from meta.model_changes where model = ${literal(model.name)} and run_id not in (
       select run_id from meta.model_runs where model = ${literal(model.name)} and status = 'succeeded' order by seq desc limit ${KEPT_CHANGE_BUILDS - 1})
       and run_id <> ${literal(runId)}`,
  );
  await exec(conn, `drop table ${keys}`);
  await exec(conn, 'drop table pulse_upstream_keys');
  // The macro read the table just dropped; anything built on this connection after must see every group.
  await allowEveryGroup(conn);
  return {
    merged: true,
    rowsWritten: written.rows,
    increment: { sources: marks, keys: written.groups, recomputed: Number(candidates?.n ?? 0) },
    written: `${by}::varchar in (select key from meta.model_changes where run_id = ${literal(runId)} and model = ${literal(model.name)})`,
  };
}
