/**
 * The model DAG: which models and sources each model reads (found in its SQL), checked for
 * unknown tables and cycles, in a topological order the build follows.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { TerminalError } from '../../core/errors.ts';
import type { Layer, Materialization } from './define.ts';
import { extractTableRefs } from './dependencies.ts';
import { queryRows } from './connection.ts';
import type { LoadedModel } from './registry.ts';

/** Schemas whose tables models may read without those tables being models. */
export const SOURCE_SCHEMAS = ['raw', 'meta'] as const;

/** A node of the lineage graph: a source table or a model. Ids are `schema.name`. */
export interface LineageNode {
  readonly id: string;
  readonly kind: 'source' | 'model';
  readonly schema: string;
  readonly name: string;
  readonly layer?: Layer;
  readonly materialized?: Materialization;
  /** For sources: whether the table exists in the warehouse now. */
  readonly exists?: boolean;
}

/** An edge `from` → `to`: `to` reads `from`. */
export interface LineageEdge {
  readonly from: string;
  readonly to: string;
}

/** The DAG of models and sources, with the build order. */
export interface Lineage {
  readonly nodes: readonly LineageNode[];
  readonly edges: readonly LineageEdge[];
  /** Model name → names of the models it reads. */
  readonly upstream: ReadonlyMap<string, readonly string[]>;
  /** Model name → names of the models that read it. */
  readonly downstream: ReadonlyMap<string, readonly string[]>;
  /** Model name → ids of the source tables (`raw.x`, `meta.y`) it reads. */
  readonly sources: ReadonlyMap<string, readonly string[]>;
  /** Model names, every model after the models it reads. */
  readonly order: readonly string[];
}

/** Finds one cycle among `remaining` models and returns it as `a → b → a`. */
function describeCycle(remaining: ReadonlySet<string>, upstream: ReadonlyMap<string, readonly string[]>): string {
  const visiting: string[] = [];
  const done = new Set<string>();
  const visit = (name: string): string[] | undefined => {
    const at = visiting.indexOf(name);
    if (at >= 0) return [...visiting.slice(at), name];
    if (done.has(name)) return undefined;
    visiting.push(name);
    for (const up of upstream.get(name) ?? []) {
      if (!remaining.has(up)) continue;
      const cycle = visit(up);
      if (cycle) return cycle;
    }
    visiting.pop();
    done.add(name);
    return undefined;
  };
  for (const name of [...remaining].sort()) {
    const cycle = visit(name);
    // Walking upstream finds the cycle backwards; reverse it to read in data-flow order.
    if (cycle) return cycle.reverse().join(' → ');
  }
  return [...remaining].sort().join(', ');
}

/** Orders models so each comes after everything it reads (Kahn's algorithm); throws on a cycle. */
export function topologicalOrder(names: readonly string[], upstream: ReadonlyMap<string, readonly string[]>): string[] {
  const pending = new Map(names.map((n) => [n, new Set(upstream.get(n) ?? [])]));
  const order: string[] = [];
  for (;;) {
    // Sorting the ready set keeps the order deterministic, which keeps logs and docs stable.
    const ready = [...pending].filter(([, ups]) => ups.size === 0).map(([n]) => n).sort();
    if (ready.length === 0) break;
    for (const name of ready) {
      pending.delete(name);
      order.push(name);
      for (const ups of pending.values()) ups.delete(name);
    }
  }
  if (pending.size > 0) {
    const cycle = describeCycle(new Set(pending.keys()), upstream);
    throw new TerminalError(`models form a cycle: ${cycle}`, { hint: 'a model cannot read itself, directly or through other models; move the shared logic into an upstream model' });
  }
  return order;
}

/** Lists existing tables and views in the source schemas, as `schema.name`. */
async function existingSources(conn: DuckDBConnection): Promise<Set<string>> {
  const rows = await queryRows<{ id: string }>(
    conn,
    `select lower(table_schema || '.' || table_name) as id from information_schema.tables
     where table_catalog = current_database() and table_schema in (${SOURCE_SCHEMAS.map((s) => `'${s}'`).join(', ')})`,
  );
  return new Set(rows.map((r) => r.id));
}

/**
 * Reads every model's SQL with DuckDB's parser and builds the lineage; throws a `TerminalError`
 * naming the model and table for a table that is neither a model nor a raw/meta table, and
 * naming the models of a cycle. Missing raw tables are marked (`exists: false`), not thrown:
 * the build refuses them, the docs do not need them.
 */
export async function discoverLineage(conn: DuckDBConnection, models: readonly LoadedModel[]): Promise<Lineage> {
  const byRelation = new Map(models.map((m) => [m.relation, m]));
  const byName = new Map(models.map((m) => [m.name, m]));
  const existing = await existingSources(conn);
  const upstream = new Map<string, string[]>();
  const sources = new Map<string, string[]>();
  const sourceNodes = new Map<string, LineageNode>();
  const edges: LineageEdge[] = [];
  const problems: string[] = [];
  for (const model of models) {
    let refs;
    try {
      refs = await extractTableRefs(conn, model.sqlText);
    } catch (error) {
      problems.push(`model ${model.name} (${model.sqlPath}): ${(error as Error).message}`);
      continue;
    }
    const ups: string[] = [];
    const srcs: string[] = [];
    for (const ref of refs) {
      const id = `${ref.schema}.${ref.table}`;
      const target = byRelation.get(id);
      if (target) {
        if (!ups.includes(target.name)) ups.push(target.name);
        edges.push({ from: id, to: model.relation });
      } else if ((SOURCE_SCHEMAS as readonly string[]).includes(ref.schema)) {
        srcs.push(id);
        edges.push({ from: id, to: model.relation });
        if (!sourceNodes.has(id)) sourceNodes.set(id, { id, kind: 'source', schema: ref.schema, name: ref.table, exists: existing.has(id) });
      } else if (ref.schema === '') {
        const hint = byName.get(ref.table) ? `; write ${byName.get(ref.table)?.relation}` : '';
        problems.push(`model ${model.name} reads "${ref.table}" without a schema${hint}`);
      } else {
        const other = byName.get(ref.table);
        const hint = other ? ` (model ${other.name} is built in ${other.relation})` : '';
        problems.push(`model ${model.name} reads ${id}, which is neither a model nor a raw/meta table${hint}`);
      }
    }
    upstream.set(model.name, ups);
    sources.set(model.name, srcs);
  }
  if (problems.length > 0) {
    throw new TerminalError(problems.join('; '), { hint: 'models read raw.<source>__<stream> tables or other models as <layer>.<name>' });
  }
  const order = topologicalOrder(models.map((m) => m.name), upstream);
  const downstream = new Map<string, string[]>(models.map((m) => [m.name, []]));
  for (const [name, ups] of upstream) for (const up of ups) downstream.get(up)?.push(name);
  const modelNodes: LineageNode[] = order.map((name) => {
    const m = byName.get(name) as LoadedModel;
    return { id: m.relation, kind: 'model', schema: m.layer, name: m.name, layer: m.layer, materialized: m.materialized };
  });
  const sortedSources = [...sourceNodes.values()].sort((a, b) => a.id.localeCompare(b.id));
  return { nodes: [...sortedSources, ...modelNodes], edges, upstream, downstream, sources, order };
}
