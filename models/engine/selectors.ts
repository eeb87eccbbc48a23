/**
 * Model selectors, as in `pulse build SELECTOR...`: `name`, `+name` (with everything upstream),
 * `name+` (with everything downstream), `tag:x` (models tagged x); `+` works on tags too
 * (`+tag:daily+`), and several selectors select the union.
 */
import { TerminalError } from '../../core/errors.ts';
import type { Lineage } from './lineage.ts';
import type { LoadedModel } from './registry.ts';

/** One parsed selector. */
export interface Selector {
  readonly upstream: boolean;
  readonly downstream: boolean;
  readonly kind: 'name' | 'tag';
  readonly value: string;
}

/** Parses `+tag:x+` into its parts. */
export function parseSelector(text: string): Selector {
  const match = /^(\+?)(.*?)(\+?)$/u.exec(text.trim());
  const base = match?.[2] ?? '';
  if (!base) throw new TerminalError(`"${text}" is not a selector`, { hint: 'use name, +name, name+, tag:x' });
  const isTag = base.startsWith('tag:');
  return { upstream: match?.[1] === '+', downstream: match?.[3] === '+', kind: isTag ? 'tag' : 'name', value: isTag ? base.slice(4) : base };
}

/** Adds every model reachable from `start` through `edges` to `into`. */
function walk(start: string, edges: ReadonlyMap<string, readonly string[]>, into: Set<string>): void {
  const stack = [start];
  while (stack.length > 0) {
    const name = stack.pop() as string;
    for (const next of edges.get(name) ?? []) {
      if (!into.has(next)) {
        into.add(next);
        stack.push(next);
      }
    }
  }
}

/**
 * Returns the names of the models `selectors` select (all models when there are none);
 * throws naming a selector that matches nothing.
 */
export function selectModels(models: readonly LoadedModel[], lineage: Lineage, selectors: readonly string[] | undefined): Set<string> {
  if (!selectors || selectors.length === 0) return new Set(models.map((m) => m.name));
  const selected = new Set<string>();
  for (const text of selectors) {
    const selector = parseSelector(text);
    const roots = models.filter((m) => (selector.kind === 'tag' ? (m.tags ?? []).includes(selector.value) : m.name === selector.value)).map((m) => m.name);
    if (roots.length === 0) {
      throw new TerminalError(`selector "${text}" matches no model`, {
        hint: selector.kind === 'tag' ? `no model is tagged "${selector.value}"` : `known models: ${models.map((m) => m.name).join(', ')}`,
      });
    }
    for (const root of roots) {
      selected.add(root);
      if (selector.upstream) walk(root, lineage.upstream, selected);
      if (selector.downstream) walk(root, lineage.downstream, selected);
    }
  }
  return selected;
}
