/**
 * Documentation from the model definitions and lineage: a Markdown data dictionary, a Mermaid
 * lineage graph (sources → staging → intermediate → marts), and the same graph as JSON for the
 * report site.
 */
import { isKeyed, LAYERS, type ModelDef } from './define.ts';
import { testName } from './data-tests.ts';
import type { Lineage, LineageEdge } from './lineage.ts';

/** A lineage node as the report site reads it. */
export interface DocsNode {
  readonly id: string;
  readonly kind: 'source' | 'model';
  readonly group: 'source' | (typeof LAYERS)[number];
  readonly name: string;
  readonly description?: string;
  readonly materialized?: string;
}

/** The rendered documentation. */
export interface Docs {
  readonly markdown: string;
  readonly mermaid: string;
  readonly json: { readonly nodes: readonly DocsNode[]; readonly edges: readonly LineageEdge[] };
}

/** Escapes text for a Markdown table cell. */
const cell = (text: string) => text.replace(/\r?\n/g, ' ').replaceAll('|', '\\|');

/** Turns `raw.shop__orders` into a Mermaid-safe node id. */
const mermaidId = (id: string) => id.replace(/[^A-Za-z0-9_]/g, '_');

/** Renders the lineage as a Mermaid flowchart with one subgraph per layer. */
function renderMermaid(nodes: readonly DocsNode[], edges: readonly LineageEdge[]): string {
  const lines = ['flowchart LR'];
  for (const group of ['source', ...LAYERS] as const) {
    const members = nodes.filter((n) => n.group === group);
    if (members.length === 0) continue;
    lines.push(`  subgraph ${group === 'source' ? 'sources' : group}`);
    for (const n of members) lines.push(`    ${mermaidId(n.id)}["${n.id.replaceAll('"', '#quot;')}"]`);
    lines.push('  end');
  }
  for (const e of edges) lines.push(`  ${mermaidId(e.from)} --> ${mermaidId(e.to)}`);
  return lines.join('\n');
}

/** Renders one model's section of the data dictionary. */
function renderModel(model: ModelDef, lineage: Lineage): string {
  const relation = `${model.layer}.${model.name}`;
  const reads = lineage.edges.filter((e) => e.to === relation).map((e) => `\`${e.from}\``);
  const readBy = lineage.edges.filter((e) => e.from === relation).map((e) => `\`${e.to}\``);
  const materialized = !model.incremental
    ? model.materialized
    : isKeyed(model.incremental)
      ? `incremental by \`${model.incremental.by}\` (recomputes the groups whose inputs changed since the last build)`
      : `incremental on \`${model.incremental.eventTime}\` (recomputes the last ${model.incremental.lookbackDays} days each build)`;
  const tests = (model.tests ?? []).map((t) => `${t.name ?? testName(t)} (${t.severity ?? 'error'})`);
  const lines = [
    `### ${relation}`,
    '',
    model.description.trim(),
    '',
    `- **Grain:** ${model.grain}`,
    `- **Unique key:** ${model.uniqueKey.map((k) => `\`${k}\``).join(', ')} (tested unique and not null)`,
    `- **Materialized:** ${materialized}`,
    `- **Reads:** ${reads.length > 0 ? reads.join(', ') : 'nothing'}`,
    ...(readBy.length > 0 ? [`- **Read by:** ${readBy.join(', ')}`] : []),
    ...(tests.length > 0 ? [`- **Tests:** ${tests.map(cell).join('; ')}`] : []),
    ...(model.tags && model.tags.length > 0 ? [`- **Tags:** ${model.tags.join(', ')}`] : []),
    '',
    '| column | type | nullable | description |',
    '|---|---|---|---|',
    ...Object.entries(model.columns).map(([name, c]) => `| \`${name}\` | ${cell(c.type)} | ${c.nullable ? 'yes' : 'no'} | ${cell(c.description)} |`),
  ];
  return lines.join('\n');
}

/**
 * Renders the data dictionary (every model: description, grain, unique key, columns with type and
 * description) and the lineage graph as Mermaid text and JSON.
 */
export function renderDocs(models: readonly ModelDef[], lineage: Lineage): Docs {
  const byRelation = new Map(models.map((m) => [`${m.layer}.${m.name}`, m]));
  const nodes: DocsNode[] = lineage.nodes.map((n) => {
    const model = byRelation.get(n.id);
    return model
      ? { id: n.id, kind: 'model', group: model.layer, name: model.name, description: model.description, materialized: model.materialized }
      : { id: n.id, kind: 'source', group: 'source', name: n.name };
  });
  const mermaid = renderMermaid(nodes, lineage.edges);
  const sections: string[] = ['# Data dictionary', '', 'Generated from the model definitions; do not edit by hand.', '', '## Lineage', '', '```mermaid', mermaid, '```'];
  const sources = nodes.filter((n) => n.kind === 'source');
  if (sources.length > 0) sections.push('', '## Sources', '', ...sources.map((s) => `- \`${s.id}\``));
  for (const layer of LAYERS) {
    const inLayer = models.filter((m) => m.layer === layer).sort((a, b) => a.name.localeCompare(b.name));
    if (inLayer.length === 0) continue;
    sections.push('', `## ${layer}`);
    for (const model of inLayer) sections.push('', renderModel(model, lineage));
  }
  return { markdown: `${sections.join('\n')}\n`, mermaid, json: { nodes, edges: lineage.edges } };
}
