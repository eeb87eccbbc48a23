/**
 * Fault injection for the fakes, counted rather than random so every test is reproducible: a
 * rule says which requests it targets (method, path pattern) and which of them it hits (skip the
 * first N matching requests, then hit `times` in a row). Faults either replace the response
 * (429, 5xx, HTML error page, connection reset), slow it, cut it, or change the records inside it
 * (a malformed record, schema drift, empty page, duplicates across pages, a repeated cursor).
 */
import { compilePathPattern, type PathPattern } from './paths.ts';

/** One kind of failure the harness can inject. */
export type Fault =
  /** 429 Too Many Requests, with `Retry-After` in seconds, as an HTTP date, or absent (`retryAfterSeconds: null`). */
  | { kind: 'rateLimit'; retryAfterSeconds?: number | null; retryAfterFormat?: 'seconds' | 'http-date'; body?: unknown; headers?: Record<string, string> }
  /** A 5xx answer (default 503) with an optional JSON body. */
  | { kind: 'serverError'; status?: number; body?: unknown; headers?: Record<string, string> }
  /** Any status with any body (401, 403, 400 with an API's own error shape…). */
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  /** An HTML error page where JSON was expected (a proxy or load balancer answering). */
  | { kind: 'html'; status?: number }
  /** Waits before answering normally (combine with a client timeout to test timeouts). */
  | { kind: 'delay'; ms: number }
  /** Destroys the socket without an answer (ECONNRESET / "other side closed" at the client). */
  | { kind: 'reset' }
  /**
   * Cuts the body at `fraction` of its bytes. By default the cut body is sent with a matching
   * Content-Length (the client gets invalid JSON); with `abort` the full length is announced and
   * the socket is destroyed mid-body.
   */
  | { kind: 'truncate'; fraction: number; abort?: boolean }
  /** Sets `field` of one record (index, default 0; negative counts from the end) to `value` (default the string "#corrupt#"). */
  | { kind: 'malformedRecord'; field: string; index?: number; value?: unknown }
  /** Changes every record: adds `field` (= `value`), removes it, or retypes it (number ↔ string, else `value`). */
  | { kind: 'schemaDrift'; change: 'add' | 'remove' | 'retype'; field: string; value?: unknown }
  /** Replaces the record array with whatever `mutate` returns. */
  | { kind: 'mutateRecords'; mutate: (records: unknown[]) => unknown[] }
  /** Empties the record array but keeps the envelope (and its next cursor). */
  | { kind: 'emptyPage' }
  /** Prepends the last `count` records (default 2) of the route's previous page, as APIs do when data shifts during paging. */
  | { kind: 'duplicateRecords'; count?: number }
  /** Replays the route's previous response verbatim, so the client is handed the cursor it just used. */
  | { kind: 'pagingLoop' };

/** Which requests a rule looks at, and which of those it hits. */
export interface FaultTarget {
  /** Path pattern (`/v21.0/:pageId/posts`, trailing `*` allowed) or regular expression; default every path. */
  path?: string | RegExp;
  /** HTTP method; default any. */
  method?: string;
  /** Matching requests to let through before the first hit (default 0). */
  skip?: number;
  /** Consecutive matching requests to hit (default 1; `Infinity` for every one after `skip`). */
  times?: number;
}

/** A fault and its target. */
export interface FaultRule extends FaultTarget {
  fault: Fault;
  /** Name shown in the request log (default the fault kind). */
  label?: string;
}

/** A registered rule: how often it matched and hit, and a way to remove it. */
export interface FaultHandle {
  readonly id: number;
  readonly label: string;
  /** Matching requests seen since the rule was added. */
  readonly seen: number;
  /** Requests the fault was applied to. */
  readonly hits: number;
  /** Stops the rule. */
  remove(): void;
}

interface ActiveRule {
  id: number;
  rule: FaultRule;
  pattern: PathPattern | RegExp | null;
  seen: number;
  hits: number;
}

/** A fault chosen for one request, with the rule label for the log. */
export interface AppliedFault {
  fault: Fault;
  label: string;
}

/** Holds fault rules, settable when the server starts and at any time after. */
export class FaultController {
  private readonly active: ActiveRule[] = [];
  private nextId = 1;

  /** Creates a controller holding `rules`. */
  constructor(rules: readonly FaultRule[] = []) {
    for (const rule of rules) this.add(rule);
  }

  /** Adds a rule; returns a handle with its counters. */
  add(rule: FaultRule): FaultHandle {
    if (rule.fault.kind === 'truncate' && !(rule.fault.fraction >= 0 && rule.fault.fraction < 1)) throw new RangeError('truncate.fraction must be in [0, 1)');
    const entry: ActiveRule = {
      id: this.nextId++,
      rule,
      pattern: rule.path === undefined ? null : typeof rule.path === 'string' ? compilePathPattern(rule.path) : rule.path,
      seen: 0,
      hits: 0,
    };
    this.active.push(entry);
    const list = this.active;
    return {
      id: entry.id,
      label: rule.label ?? rule.fault.kind,
      get seen() {
        return entry.seen;
      },
      get hits() {
        return entry.hits;
      },
      remove() {
        const index = list.indexOf(entry);
        if (index >= 0) list.splice(index, 1);
      },
    };
  }

  /** Removes every rule. */
  clear(): void {
    this.active.length = 0;
  }

  /** Number of rules in force. */
  get size(): number {
    return this.active.length;
  }

  /** Answers 429 (with `Retry-After: seconds` unless `retryAfterSeconds` is null). */
  rateLimit(target: FaultTarget & { retryAfterSeconds?: number | null; retryAfterFormat?: 'seconds' | 'http-date'; body?: unknown } = {}): FaultHandle {
    const { retryAfterSeconds, retryAfterFormat, body, ...where } = target;
    return this.add({ ...where, fault: { kind: 'rateLimit', retryAfterSeconds: retryAfterSeconds === undefined ? 1 : retryAfterSeconds, ...(retryAfterFormat ? { retryAfterFormat } : {}), ...(body === undefined ? {} : { body }) } });
  }

  /** Answers `count` consecutive 5xx (default 503). */
  serverErrors(count: number, target: FaultTarget & { status?: number; body?: unknown } = {}): FaultHandle {
    const { status, body, ...where } = target;
    return this.add({ ...where, times: count, fault: { kind: 'serverError', ...(status ? { status } : {}), ...(body === undefined ? {} : { body }) } });
  }

  /** Delays matching answers by `ms`. */
  delay(ms: number, target: FaultTarget = {}): FaultHandle {
    return this.add({ ...target, fault: { kind: 'delay', ms } });
  }

  /** Resets the connection of matching requests. */
  reset(target: FaultTarget = {}): FaultHandle {
    return this.add({ ...target, fault: { kind: 'reset' } });
  }

  /** Cuts matching bodies at `fraction`. */
  truncate(fraction: number, target: FaultTarget & { abort?: boolean } = {}): FaultHandle {
    const { abort, ...where } = target;
    return this.add({ ...where, fault: { kind: 'truncate', fraction, ...(abort ? { abort } : {}) } });
  }

  /** Answers with an HTML error page (default 502). */
  html(target: FaultTarget & { status?: number } = {}): FaultHandle {
    const { status, ...where } = target;
    return this.add({ ...where, fault: { kind: 'html', ...(status ? { status } : {}) } });
  }

  /** Corrupts `field` of one record. */
  malformedRecord(field: string, target: FaultTarget & { index?: number; value?: unknown } = {}): FaultHandle {
    const { index, value, ...where } = target;
    return this.add({ ...where, fault: { kind: 'malformedRecord', field, ...(index === undefined ? {} : { index }), ...(value === undefined ? {} : { value }) } });
  }

  /** Adds, removes or retypes `field` in every record. */
  schemaDrift(change: 'add' | 'remove' | 'retype', field: string, target: FaultTarget & { value?: unknown } = {}): FaultHandle {
    const { value, ...where } = target;
    return this.add({ ...where, fault: { kind: 'schemaDrift', change, field, ...(value === undefined ? {} : { value }) } });
  }

  /** Applies `mutate` to the record array of matching responses. */
  mutateRecords(mutate: (records: unknown[]) => unknown[], target: FaultTarget = {}): FaultHandle {
    return this.add({ ...target, fault: { kind: 'mutateRecords', mutate } });
  }

  /** Empties the record array of matching responses. */
  emptyPage(target: FaultTarget = {}): FaultHandle {
    return this.add({ ...target, fault: { kind: 'emptyPage' } });
  }

  /** Repeats records of the previous page at the start of matching pages. */
  duplicateRecords(target: FaultTarget & { count?: number } = {}): FaultHandle {
    const { count, ...where } = target;
    return this.add({ ...where, fault: { kind: 'duplicateRecords', ...(count ? { count } : {}) } });
  }

  /** Replays the previous response of the route (a repeated cursor). */
  pagingLoop(target: FaultTarget = {}): FaultHandle {
    return this.add({ ...target, fault: { kind: 'pagingLoop' } });
  }

  /** Returns the faults to apply to a request and advances every matching rule's count. */
  select(method: string, path: string): AppliedFault[] {
    const applied: AppliedFault[] = [];
    for (const entry of this.active.slice()) {
      const { rule, pattern } = entry;
      if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) continue;
      if (pattern instanceof RegExp ? !pattern.test(path) : pattern && !pattern.match(path)) continue;
      entry.seen++;
      const skip = rule.skip ?? 0;
      const times = rule.times ?? 1;
      if (entry.seen > skip && entry.seen <= skip + times) {
        entry.hits++;
        applied.push({ fault: rule.fault, label: rule.label ?? rule.fault.kind });
      }
    }
    return applied;
  }
}

/** Reads the record array at `path` inside a body (`[]` = the body itself). */
export function recordsAt(body: unknown, path: readonly string[]): unknown[] | undefined {
  let node: unknown = body;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return Array.isArray(node) ? node : undefined;
}

/** Returns a copy of `body` whose record array at `path` is replaced by `mutate(records)`; other parts are shared. */
export function mutateRecordsAt(body: unknown, path: readonly string[], mutate: (records: unknown[]) => unknown[]): unknown {
  if (path.length === 0) return Array.isArray(body) ? mutate(body.slice()) : body;
  if (body === null || typeof body !== 'object') return body;
  const [head, ...rest] = path as [string, ...string[]];
  const copy: Record<string, unknown> = Array.isArray(body) ? ([...body] as unknown as Record<string, unknown>) : { ...(body as Record<string, unknown>) };
  copy[head] = mutateRecordsAt(copy[head], rest, mutate);
  return copy;
}

function retype(value: unknown, fallback: unknown): unknown {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  if (typeof value === 'string') return fallback === undefined ? { value } : fallback;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return fallback === undefined ? String(value) : fallback;
}

/** Applies a record-level fault to a record array; `previous` is the route's previous page of records. */
export function applyRecordFault(fault: Fault, records: unknown[], previous: readonly unknown[] | undefined): unknown[] {
  const asObject = (r: unknown) => (r !== null && typeof r === 'object' && !Array.isArray(r) ? { ...(r as Record<string, unknown>) } : r);
  switch (fault.kind) {
    case 'malformedRecord': {
      if (records.length === 0) return records;
      const index = ((fault.index ?? 0) % records.length + records.length) % records.length;
      const out = records.slice();
      const record = asObject(out[index]);
      if (record !== null && typeof record === 'object') (record as Record<string, unknown>)[fault.field] = fault.value === undefined ? '#corrupt#' : fault.value;
      out[index] = record;
      return out;
    }
    case 'schemaDrift':
      return records.map((r) => {
        const record = asObject(r);
        if (record === null || typeof record !== 'object') return record;
        const fields = record as Record<string, unknown>;
        if (fault.change === 'add') fields[fault.field] = fault.value === undefined ? 'drifted' : fault.value;
        else if (fault.change === 'remove') delete fields[fault.field];
        else if (fault.field in fields) fields[fault.field] = retype(fields[fault.field], fault.value);
        return fields;
      });
    case 'mutateRecords':
      return fault.mutate(records.slice());
    case 'emptyPage':
      return [];
    case 'duplicateRecords': {
      const count = fault.count ?? 2;
      const source = previous && previous.length > 0 ? previous.slice(-count) : records.slice(0, count);
      return [...source, ...records];
    }
    default:
      return records;
  }
}

/** Tells whether a fault changes records (needs the route's record path). */
export function isRecordFault(fault: Fault): boolean {
  return fault.kind === 'malformedRecord' || fault.kind === 'schemaDrift' || fault.kind === 'mutateRecords' || fault.kind === 'emptyPage' || fault.kind === 'duplicateRecords';
}
