import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TerminalError } from '../../../core/errors.ts';
import { silentLogger } from '../../../core/log.ts';
import { abortableSleep, abortingDispatcher, createStepRunner, type StepContext } from '../../../jobs/step-runner.ts';
import { makeItems, startTestApi, type TestApi } from '../../support/api-server.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ items: makeItems(3) });
});
afterAll(() => api.close());

function context(signal = new AbortController().signal): StepContext {
  return { signal, runId: 'r1', job: 'j', scheduledFor: new Date('2026-06-01T00:00:00Z'), attempt: 1, log: silentLogger };
}

describe('step runner', () => {
  it('runs build, publish and report only with what they need, failing terminally and plainly without it', async () => {
    const steps = createStepRunner({ sources: () => [] });
    await expect(steps.runStep({ name: 'build', selectors: ['+fct_x'] }, context())).rejects.toThrow('the build step needs the warehouse open');
    await expect(steps.runStep({ name: 'publish' }, context())).rejects.toThrow('the publish step needs the warehouse open');
    await expect(steps.runStep({ name: 'report' }, context())).rejects.toThrow(TerminalError);
  });

  it('uses injected handlers for the steps it is given', async () => {
    const seen: string[] = [];
    const steps = createStepRunner({
      sources: () => [],
      handlers: {
        build: async (step, ctx) => {
          seen.push(`${ctx.job}:${step.selectors.join(',')}`);
          return { rows: 7, detail: { models: 2 } };
        },
      },
    });
    expect(await steps.runStep({ name: 'build', selectors: ['tag:daily'] }, context())).toEqual({ rows: 7, detail: { models: 2 } });
    expect(seen).toEqual(['j:tag:daily']);
  });

  it('stops HTTP at the next request and backoff sleeps once its signal aborts', async () => {
    const controller = new AbortController();
    const http = abortingDispatcher(controller.signal);
    try {
      const ok = await request(`${api.url}/items`, { dispatcher: http.dispatcher });
      expect(ok.statusCode).toBe(200);
      await ok.body.text();
      controller.abort(new Error('run exceeded its timeout of 60 s'));
      await expect(request(`${api.url}/items`, { dispatcher: http.dispatcher })).rejects.toThrow('cancelled: run exceeded its timeout of 60 s');
      await expect(abortableSleep(60_000, controller.signal)).rejects.toThrow('cancelled');
    } finally {
      await http.close();
    }
  });
});
