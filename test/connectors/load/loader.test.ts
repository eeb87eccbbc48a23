import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { silentLogger } from '../../../core/log.ts';
import { openWarehouse, type Warehouse } from '../../../core/warehouse.ts';
import { columnsFor } from '../../../connectors/load/columns.ts';
import { createStreamLoader, maximumObjectSize } from '../../../connectors/load/loader.ts';
import { lineStats } from '../../../connectors/extract.ts';

let wh: Warehouse | undefined;
afterEach(() => {
  wh?.close();
  wh = undefined;
});

const schema = z.object({ id: z.string(), n: z.number().int().min(0), at: z.iso.datetime({ offset: true }).nullish() });

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'pulse-loader-'));
  wh = await openWarehouse(join(dir, 'w.duckdb'));
  const loader = await createStreamLoader(wh, { source: 'src', stream: 'things', columns: columnsFor(schema), primaryKey: ['id'], disposition: 'merge', cursorField: 'at' }, 'run1', silentLogger);
  const file = (name: string, lines: string[]) => {
    const path = join(dir, name);
    writeFileSync(path, lines.join('\n') + '\n');
    return path;
  };
  return { wh, loader, file };
}

describe('stream loader, one-pass path', () => {
  it('loads a batch whose count is known, merges by key, dedupes within the batch, and reports the cursor', async () => {
    const { wh, loader, file } = await setup();
    const first = await loader.loadBatch([file('a.ndjson', ['{"id":"a","n":1,"at":"2026-01-01T00:00:00Z"}', '{"id":"b","n":2,"at":"2026-01-02T00:00:00Z"}'])], { expectedRows: 2 });
    expect(first).toMatchObject({ loaded: 2, quarantined: 0, maxCursor: '2026-01-02T00:00:00.000Z' });
    // b restated, c new and served twice (the later copy wins), d bad.
    const second = await loader.loadBatch(
      [file('b.ndjson', ['{"id":"b","n":20}', '{"id":"c","n":3}', '{"id":"c","n":30}', '{"id":"d","n":-1}'])],
      { expectedRows: 4 },
    );
    expect(second).toMatchObject({ loaded: 2, quarantined: 1 });
    expect(await wh.all(`select id, n from raw.src__things order by id`)).toEqual([
      { id: 'a', n: 1 },
      { id: 'b', n: 20 },
      { id: 'c', n: 30 },
    ]);
  });

  it('quarantines a line that is not JSON and loads the rest of the batch', async () => {
    const { wh, loader, file } = await setup();
    const result = await loader.loadBatch([file('m.ndjson', ['{"id":"a","n":1}', '{"id":"b","n":tru}', '{"id":"c","n":3}'])], { expectedRows: 3 });
    expect(result).toMatchObject({ loaded: 2, quarantined: 1 });
    const [q] = await wh.all<{ reason: string; record: string }>(`select reason, record from meta.quarantine`);
    expect(q?.reason).toMatch(/^record is not valid JSON/);
    expect(q?.record).toBe('{"id":"b","n":tru}');
  });

  it('rolls the batch back when the counts do not add up, so nothing is lost silently', async () => {
    const { wh, loader, file } = await setup();
    await expect(loader.loadBatch([file('c.ndjson', ['{"id":"a","n":1}'])], { expectedRows: 2 })).rejects.toThrow('batch of 2 records loaded 1 and quarantined 0: records would be lost');
    expect(await wh.all(`select * from raw.src__things`)).toEqual([]);
  });
});

describe('load plan', () => {
  it("inserts a checked batch with DuckDB's parallel batch insert, enum checks included", async () => {
    // An IN list of five or more values is planned as a join, which makes DuckDB fall back to a plain
    // insert whose rows are compressed on one thread at commit (the load then took ~10% longer).
    const dir = mkdtempSync(join(tmpdir(), 'pulse-loader-plan-'));
    wh = await openWarehouse(join(dir, 'w.duckdb'));
    const statuses = z.object({ id: z.string(), status: z.enum(['open', 'pending', 'hold', 'solved', 'closed', 'new']), n: z.number().int().min(0) });
    const loader = await createStreamLoader(wh, { source: 'src', stream: 'tickets', columns: columnsFor(statuses), primaryKey: ['id'], disposition: 'merge' }, 'run1', silentLogger);
    const inserts: string[] = [];
    const all = wh.all.bind(wh);
    wh.all = ((sql: string, params?: unknown[]) => {
      if (/^insert into "raw"/.test(sql)) inserts.push(sql);
      return all(sql, params as never);
    }) as typeof wh.all;
    const path = join(dir, 't.ndjson');
    writeFileSync(path, '{"id":"a","status":"open","n":1}\n{"id":"b","status":"lost","n":2}\n');
    expect(await loader.loadBatch([path], { expectedRows: 2 })).toMatchObject({ loaded: 1, quarantined: 1 });
    expect(inserts).toHaveLength(1);
    const [plan] = await all<{ explain_value: string }>(`explain ${inserts[0]}`);
    expect(plan?.explain_value).toContain('BATCH_INSERT');
    const [q] = await all<{ reason: string }>(`select reason from meta.quarantine`);
    expect(q?.reason).toBe('status: expected one of open, pending, hold, solved, closed, new, got lost');
  });
});

describe('record size bound', () => {
  const MiB = 1024 * 1024;

  it("keeps DuckDB's 16 MiB default for ordinary pages, doubles above a larger bound, and falls back to 64 MiB when unknown", () => {
    expect(maximumObjectSize(300_000)).toBe(16 * MiB);
    expect(maximumObjectSize(16 * MiB)).toBe(32 * MiB);
    expect(maximumObjectSize(40 * MiB)).toBe(64 * MiB);
    expect(maximumObjectSize(undefined)).toBe(64 * MiB);
  });

  it("reads a batch with DuckDB's default object size when the caller knows its records are small", async () => {
    const { wh, loader, file } = await setup();
    const reads: string[] = [];
    const all = wh.all.bind(wh);
    wh.all = ((sql: string, params?: unknown[]) => {
      if (sql.includes('read_json(')) reads.push(/maximum_object_size = (\d+)/.exec(sql)?.[1] ?? 'none');
      return all(sql, params as never);
    }) as typeof wh.all;
    await loader.loadBatch([file('s.ndjson', ['{"id":"a","n":1}'])], { expectedRows: 1, maxRecordBytes: 16 });
    await loader.loadBatch([file('u.ndjson', ['{"id":"b","n":2}'])], { expectedRows: 1 });
    expect(reads).toEqual([String(16 * MiB), String(64 * MiB)]);
  });

  it('loads a record larger than 16 MiB when the caller passes its bound', async () => {
    const { wh, loader, file } = await setup();
    const big = JSON.stringify({ id: 'big', n: 1, note: 'x'.repeat(17 * MiB) });
    const path = file('big.ndjson', ['{"id":"a","n":1}', big]);
    const { count, longest } = lineStats(readFileSync(path));
    expect({ count, longest }).toEqual({ count: 2, longest: big.length });
    expect(await loader.loadBatch([path], { expectedRows: count, maxRecordBytes: longest })).toMatchObject({ loaded: 2, quarantined: 0 });
    expect(await wh.all(`select id, length(note::varchar) as len from raw.src__things order by id`)).toEqual([
      { id: 'a', len: null },
      { id: 'big', len: 17 * MiB + 2 },
    ]);
  });
});

describe('lineStats', () => {
  it('counts non-blank lines and measures the longest, with or without a final newline', () => {
    const bytes = (s: string) => new TextEncoder().encode(s);
    expect(lineStats(bytes('{"a":1}\n\n  \n{"bb":22}'))).toEqual({ count: 2, longest: 9 });
    expect(lineStats(bytes(''))).toEqual({ count: 0, longest: 0 });
  });
});
