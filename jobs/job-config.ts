/**
 * Job definitions in config (`jobs.<name>`): which steps to run, on which cron schedule in which
 * time zone, how long a run may take, how transient failures are retried, what happens to ticks
 * missed while no scheduler ran, where alerts go, and how fresh each source must be.
 *
 * ```ts
 * jobs: {
 *   hourly_social: {
 *     schedule: '5 * * * *',
 *     timeZone: 'Europe/Berlin',
 *     steps: { extract: ['facebook', 'instagram'], build: ['+fct_post_engagement'], publish: true },
 *     timeoutSeconds: 1800,
 *     retries: { count: 2, backoffSeconds: 60 },
 *     missed: { policy: 'latest', maxCatchUp: 3 },
 *     alerts: { webhooks: [{ url: env('SLACK_WEBHOOK_URL'), format: 'slack' }] },
 *     freshness: { facebook: { warnAfterHours: 3, errorAfterHours: 12 } },
 *   },
 * }
 * ```
 */
import { Cron } from 'croner';
import { z } from 'zod';
import { ConfigError } from '../core/errors.ts';

// The same shape as `secret` in core/config.ts; declared here because core/config.ts imports this
// module, and importing back from it would be a cycle that leaves one side undefined at load.
const envRef = z
  .object({ $env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name') })
  .strict()
  .describe('a secret: write env("VARIABLE_NAME") and export that variable; secrets never go in the config file');

/** The steps a job can run, in the order they always run. */
export const STEP_ORDER = ['extract', 'build', 'publish', 'report'] as const;
/** The name of a step. */
export type StepName = (typeof STEP_ORDER)[number];

/** Tells whether `timeZone` is an IANA zone this Node knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** One webhook alerts are POSTed to. */
export const webhookSchema = z
  .object({
    url: z.union([z.url({ protocol: /^https?$/ }), envRef]).describe('where to POST; a Slack incoming-webhook URL is itself a secret, so write env("SLACK_WEBHOOK_URL")'),
    format: z.enum(['slack', 'json']).default('json').describe('slack: {text, blocks}; json: {event, job, runId, status, error, at}'),
    headers: z.record(z.string(), z.union([z.string(), envRef])).default({}).describe('extra request headers; put tokens in env("NAME"), e.g. { authorization: env("ALERT_TOKEN") }'),
  })
  .strict();

/** A freshness SLA for one source. */
export const freshnessSchema = z
  .object({
    warnAfterHours: z.number().positive().describe('hours since the last successful load after which the source is reported stale (warn)'),
    errorAfterHours: z.number().positive().describe('hours since the last successful load after which the source is reported stale (error)'),
  })
  .strict()
  .refine((f) => f.warnAfterHours <= f.errorAfterHours, { message: 'warnAfterHours must not exceed errorAfterHours', path: ['warnAfterHours'] });

/** The steps of a job; at least one. */
export const stepsSchema = z
  .object({
    extract: z.union([z.literal('all'), z.array(z.string().min(1)).min(1)]).optional().describe('sources to extract: their names, or "all"'),
    build: z.array(z.string().min(1)).min(1).optional().describe('model selectors to build: name, +name, name+, tag:x'),
    publish: z.boolean().default(false).describe('audit and publish analytics.duckdb after the build'),
    report: z.boolean().default(false).describe('build the static report site last'),
  })
  .strict()
  .refine((s) => s.extract !== undefined || s.build !== undefined || s.publish || s.report, { message: 'name at least one step: extract, build, publish or report' })
  .describe('what the job does; steps run in the order extract → build → publish → report');

/** One job. */
export const jobSchema = z
  .object({
    description: z.string().optional().describe('what the job is for, shown by `pulse status`'),
    schedule: z.string().min(1).describe('cron expression (croner): 5 fields "m h dom mon dow", or 6 with seconds first'),
    timeZone: z.string().default('UTC').describe('IANA time zone the schedule is read in, e.g. Europe/Berlin'),
    steps: stepsSchema,
    timeoutSeconds: z.number().positive().default(3600).describe('a run still going after this long is cancelled, recorded failed and alerted'),
    retries: z
      .object({
        count: z.number().int().min(0).max(10).default(2).describe('retries of a step after a transient failure (terminal failures are never retried)'),
        backoffSeconds: z.number().min(0).default(30).describe('wait before the first retry; doubles on each further retry'),
      })
      .strict()
      .default({ count: 2, backoffSeconds: 30 }),
    missed: z
      .object({
        policy: z.enum(['skip', 'latest', 'all']).default('latest').describe('ticks missed while no scheduler ran: skip them, run the latest once, or run each (up to maxCatchUp)'),
        maxCatchUp: z.number().int().positive().max(100).default(3).describe('most missed ticks run with policy "all" (the latest ones; older ones are recorded as skipped)'),
      })
      .strict()
      .default({ policy: 'latest', maxCatchUp: 3 }),
    alerts: z
      .object({
        webhooks: z.array(webhookSchema).default([]).describe('where alerts go'),
        on: z
          .array(z.enum(['failed', 'timeout', 'stale']))
          .default(['failed', 'timeout', 'stale'])
          .describe('which events alert: a failed or partial run, a run over its timeout, a source past its freshness SLA'),
      })
      .strict()
      .default({ webhooks: [], on: ['failed', 'timeout', 'stale'] }),
    freshness: z.record(z.string(), freshnessSchema).default({}).describe('freshness SLA per source name, checked after every run of this job'),
  })
  .strict()
  .superRefine((job, issues) => {
    if (!isTimeZone(job.timeZone)) {
      issues.addIssue({ code: 'custom', path: ['timeZone'], message: `unknown time zone "${job.timeZone}"` });
      return;
    }
    try {
      if (!new Cron(job.schedule, { timezone: job.timeZone, paused: true }).nextRun()) {
        issues.addIssue({ code: 'custom', path: ['schedule'], message: `"${job.schedule}" never fires` });
      }
    } catch (error) {
      issues.addIssue({ code: 'custom', path: ['schedule'], message: `invalid cron expression: ${(error as Error).message}` });
    }
  });

/** Every job, by name. */
export const jobsSchema = z
  .record(z.string().regex(/^[a-z][a-z0-9_-]*$/, 'lower-case letters, digits, _ and -'), jobSchema)
  .default({})
  .describe('scheduled jobs, by name');

/** A validated job (defaults applied). */
export type JobConfig = z.output<typeof jobSchema>;
/** A webhook as written in config (secrets still as env refs). */
export type WebhookConfig = z.output<typeof webhookSchema>;

/** One step of a job, as the scheduler hands it to a `StepRunner`. */
export type JobStep =
  | { name: 'extract'; sources: string[] | 'all' }
  | { name: 'build'; selectors: string[] }
  | { name: 'publish' }
  | { name: 'report' };

/** Lists a job's steps in their fixed order. */
export function jobSteps(job: JobConfig): JobStep[] {
  const steps: JobStep[] = [];
  if (job.steps.extract !== undefined) steps.push({ name: 'extract', sources: job.steps.extract });
  if (job.steps.build !== undefined) steps.push({ name: 'build', selectors: job.steps.build });
  if (job.steps.publish) steps.push({ name: 'publish' });
  if (job.steps.report) steps.push({ name: 'report' });
  return steps;
}

/** Checks what the schema alone cannot: that the sources a job extracts or watches are configured. */
export function checkJobSources(jobs: Record<string, JobConfig>, sourceNames: string[]): void {
  const problems: string[] = [];
  const known = new Set(sourceNames);
  for (const [name, job] of Object.entries(jobs)) {
    if (Array.isArray(job.steps.extract)) {
      for (const source of job.steps.extract) if (!known.has(source)) problems.push(`jobs.${name}.steps.extract: unknown source "${source}"`);
    }
    for (const source of Object.keys(job.freshness)) if (!known.has(source)) problems.push(`jobs.${name}.freshness.${source}: unknown source "${source}"`);
  }
  if (problems.length) {
    throw new ConfigError(`invalid jobs:\n${problems.join('\n')}`, { hint: sourceNames.length ? `configured sources: ${sourceNames.join(', ')}` : 'no sources are configured' });
  }
}
