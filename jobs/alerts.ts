/**
 * Alerts: a failed run, a run over its timeout, a stale source. Each is POSTed to the job's
 * webhooks as a Slack message (`{text, blocks}`) or a generic JSON event, with secrets redacted,
 * retried a bounded number of times; a failing alert target is logged and never stops the scheduler.
 */
import { request, type Dispatcher } from 'undici';
import { resolveSecrets } from '../core/config.ts';
import { ConfigError, describeError } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import { redact, redactDeep } from '../core/redact.ts';
import type { JobConfig } from './job-config.ts';

/** What an alert is about. */
export type AlertEventKind = 'failed' | 'timeout' | 'stale';

/** One alert. */
export interface AlertEvent {
  event: AlertEventKind;
  job: string;
  runId: string | null;
  /** Run status (`failed`, `partial`, …) or, for `stale`, the freshness state (`warn`, `error`). */
  status: string;
  error: string | null;
  at: Date;
  /** For `stale`: the source and how old its data is. */
  source?: string;
  ageHours?: number | null;
}

/** A webhook with its secrets resolved. */
export interface WebhookTarget {
  url: string;
  format: 'slack' | 'json';
  headers: Record<string, string>;
}

/** Sends alerts; never rejects. */
export interface Alerter {
  send(event: AlertEvent, targets: WebhookTarget[]): Promise<void>;
}

/** Options for `createAlerter`. */
export interface AlerterOptions {
  log: Logger;
  dispatcher?: Dispatcher;
  /** Tries per target (default 3). */
  attempts?: number;
  /** Wait before the first retry, doubled each time (default 1 s). */
  backoffMs?: number;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** Resolves a job's webhooks: `env("NAME")` references become values (and are registered for redaction). */
export function resolveWebhooks(jobName: string, job: JobConfig, environment: NodeJS.ProcessEnv = process.env): WebhookTarget[] {
  const missing: string[] = [];
  const resolved = resolveSecrets(job.alerts.webhooks, environment, ['jobs', jobName, 'alerts', 'webhooks'], missing) as { url: string; format: 'slack' | 'json'; headers: Record<string, string> }[];
  if (missing.length) throw new ConfigError(`missing secrets:\n${missing.join('\n')}`, { hint: 'set the environment variables named above' });
  return resolved.map((w) => ({ url: w.url, format: w.format, headers: w.headers }));
}

/** One line saying what happened, for people. */
export function alertText(event: AlertEvent): string {
  const at = event.at.toISOString().replace(/\.\d+Z$/, 'Z');
  switch (event.event) {
    case 'failed':
      return `pulse job ${event.job} ${event.status}${event.runId ? ` (run ${event.runId})` : ''} at ${at}${event.error ? `: ${event.error}` : ''}`;
    case 'timeout':
      return `pulse job ${event.job} exceeded its timeout${event.runId ? ` (run ${event.runId})` : ''} at ${at}${event.error ? `: ${event.error}` : ''}`;
    case 'stale':
      return `pulse source ${event.source ?? '?'} is stale (${event.status}) for job ${event.job}: ${event.ageHours == null ? 'never loaded' : `last loaded ${event.ageHours.toFixed(1)} h ago`}${event.error ? ` — ${event.error}` : ''}`;
  }
}

/** The Slack incoming-webhook body: `text` for notifications, `blocks` for the message. */
export function slackBody(event: AlertEvent): { text: string; blocks: unknown[] } {
  const text = alertText(event);
  const icon = event.event === 'stale' && event.status === 'warn' ? ':warning:' : ':rotating_light:';
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `${icon} ${text}` } },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: [`event: ${event.event}`, `job: ${event.job}`, event.runId ? `run: ${event.runId}` : undefined, `at: ${event.at.toISOString()}`].filter(Boolean).join(' · ') }],
      },
    ],
  };
}

/** The generic JSON body. */
export function jsonBody(event: AlertEvent): Record<string, unknown> {
  return {
    event: event.event,
    job: event.job,
    runId: event.runId,
    status: event.status,
    error: event.error,
    at: event.at.toISOString(),
    ...(event.source !== undefined ? { source: event.source, ageHours: event.ageHours ?? null } : {}),
  };
}

/** Creates an alerter that POSTs over undici, retrying 5xx, 429 and network errors. */
export function createAlerter(options: AlerterOptions): Alerter {
  const attempts = options.attempts ?? 3;
  const backoffMs = options.backoffMs ?? 1000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref()));

  async function post(target: WebhookTarget, event: AlertEvent): Promise<void> {
    // Redact the whole body: an error message may quote a token an API echoed back.
    const body = JSON.stringify(redactDeep(target.format === 'slack' ? slackBody(event) : jsonBody(event)));
    const where = redact(target.url);
    for (let attempt = 1; attempt <= attempts; attempt++) {
      let problem: string;
      let retry: boolean;
      try {
        const response = await request(target.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'brandpulse', ...target.headers },
          body,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
          signal: AbortSignal.timeout(timeoutMs),
          ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
        });
        const text = await response.body.text();
        if (response.statusCode >= 200 && response.statusCode < 300) {
          options.log.debug('alert sent', { event: event.event, job: event.job, target: where });
          return;
        }
        problem = `HTTP ${response.statusCode}${text ? `: ${text.slice(0, 200)}` : ''}`;
        retry = response.statusCode >= 500 || response.statusCode === 429 || response.statusCode === 408;
      } catch (error) {
        problem = describeError(error);
        retry = true;
      }
      if (!retry || attempt === attempts) {
        options.log.error('alert could not be delivered; the scheduler carries on', { event: event.event, job: event.job, target: where, attempts: attempt, error: redact(problem) });
        return;
      }
      options.log.warn('alert delivery failed; retrying', { target: where, attempt, error: redact(problem) });
      await sleep(backoffMs * 2 ** (attempt - 1));
    }
  }

  return {
    async send(event, targets) {
      options.log.warn(`alert: ${alertText(event)}`);
      await Promise.all(
        targets.map((t) =>
          post(t, event).catch((error: unknown) => {
            // post() handles its own failures; this is the last line so a bug here cannot crash the scheduler.
            options.log.error('alert failed unexpectedly', { error: redact(describeError(error)) });
          }),
        ),
      );
    },
  };
}
