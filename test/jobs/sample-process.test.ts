import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { TerminalError } from '../../core/errors.ts';
import { createLogger } from '../../core/log.ts';
import { generateWorld, summarizeWorld } from '../../core/sample-world/index.ts';
import { startSampleWorldProcess } from '../../jobs/sample.ts';

describe('startSampleWorldProcess', () => {
  it('serves the sample world from a child process: same world as in this process, fakes answer until closed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pulse-sample-process-'));
    const lines: string[] = [];
    const log = createLogger({ write: (line) => lines.push(line) });
    const sample = await startSampleWorldProcess({ dir, scale: 0.02, seed: 7, only: ['stripe', 'surveys'], log });
    try {
      // The child generated the same deterministic world this process would have.
      expect(sample.summary).toEqual(summarizeWorld(generateWorld({ seed: 7, scale: 0.02 })));
      expect(Object.keys(sample.config.sources).sort()).toEqual(['stripe', 'surveys']);
      expect(Object.keys(sample.urls)).toEqual(['stripe']);
      expect(sample.config.sources['stripe']!['baseUrl']).toBe(sample.urls['stripe']);
      expect(sample.config.warehouse.path).toBe(join(dir, 'warehouse.duckdb'));
      // Its log lines arrive through this process's logger.
      expect(lines.some((l) => l.startsWith('sample world generated'))).toBe(true);
      const answer = await request(`${sample.urls['stripe']}/v1/customers?limit=1`, { headers: { authorization: 'Bearer sample-token' } });
      expect(answer.statusCode).toBe(200);
      expect(((await answer.body.json()) as { object: string }).object).toBe('list');
    } finally {
      await sample.close();
    }
    await expect(request(`${sample.urls['stripe']}/v1/customers?limit=1`)).rejects.toThrow(/ECONNREFUSED/);
    // Closing twice is harmless.
    await sample.close();
  });

  it('fails with a TerminalError carrying the child\'s reason when the world cannot be generated', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pulse-sample-process-'));
    const started = startSampleWorldProcess({ dir, scale: -1 });
    await expect(started).rejects.toBeInstanceOf(TerminalError);
    await expect(started).rejects.toThrow(/the sample world could not start: scale must be a number in \(0, 1000\], got -1/);
  });
});
