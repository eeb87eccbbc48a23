/**
 * Path patterns for routes and fault targets: literal segments, `:name` parameters (which may
 * be followed by a literal suffix, as in `/orders/:id.json` or `/properties/:id:runReport`) and
 * a trailing `*`.
 */

/** A compiled path pattern. */
export interface PathPattern {
  readonly source: string;
  /** Returns the decoded parameters when `path` matches, else undefined. */
  match(path: string): Record<string, string> | undefined;
}

/** Compiles `/v21.0/:pageId/posts` into a matcher. */
export function compilePathPattern(pattern: string): PathPattern {
  const names: string[] = [];
  let regex = '^';
  // A colon after a word character is literal, so `/properties/:property:runReport` works (GA4).
  const tokens = pattern.split(/((?<![A-Za-z0-9_]):[A-Za-z_][A-Za-z0-9_]*|\*$)/);
  tokens.forEach((token, index) => {
    const isCapture = index % 2 === 1; // split() puts captured separators at odd indexes
    if (token === '') return;
    if (isCapture && token === '*') {
      names.push('*');
      regex += '(.*)';
    } else if (isCapture) {
      names.push(token.slice(1));
      regex += '([^/]+?)';
    } else {
      regex += token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
  });
  const compiled = new RegExp(`${regex}/?$`);
  return {
    source: pattern,
    match(path: string) {
      const m = compiled.exec(path);
      if (!m) return undefined;
      const params: Record<string, string> = {};
      names.forEach((name, i) => {
        const raw = m[i + 1] ?? '';
        try {
          params[name] = decodeURIComponent(raw);
        } catch {
          params[name] = raw;
        }
      });
      return params;
    },
  };
}
