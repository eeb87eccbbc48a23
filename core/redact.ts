/**
 * Removes secret values from text before it reaches a log line, an error, a run record or a
 * report. Secrets register themselves when config resolves `env(...)` references, so every
 * sink can call `redact()` without knowing which values are secret.
 */

const secrets = new Set<string>();
const MASK = '[redacted]';

/** Registers a secret value; values shorter than 4 characters are too ambiguous to mask. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) {
    secrets.add(value);
    // Secrets also travel URL-encoded (query strings) and base64-encoded (basic auth).
    secrets.add(encodeURIComponent(value));
  }
}

/** Replaces every registered secret, and common credential shapes, in `text`. */
export function redact(text: string): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join(MASK);
  // Credential shapes that may carry secrets never registered (e.g. a token an API echoes back).
  return out
    .replace(/\b(authorization["']?\s*[:=]\s*["']?)(Bearer|Basic|Token)\s+[^\s"',}]+/gi, `$1$2 ${MASK}`)
    .replace(/([?&](?:access_token|api_key|apikey|key|token|client_secret|password|sig|signature)=)[^&\s"'#]+/gi, `$1${MASK}`)
    .replace(/("(?:password|client_secret|access_token|refresh_token|api_key|apiKey|token|secret)"\s*:\s*")[^"]*(")/g, `$1${MASK}$2`);
}

/** Redacts every string inside a JSON-like value (for run records and alert bodies). */
export function redactDeep<T>(value: T): T {
  return JSON.parse(redact(JSON.stringify(value))) as T;
}
