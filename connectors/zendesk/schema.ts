/**
 * Zendesk Support API shapes: the source config, and zod schemas of tickets, ticket metric sets,
 * ticket comments, users and satisfaction ratings as the incremental export and list endpoints
 * return them (UTC timestamps, ids as integers, nested objects kept as JSON for staging).
 */
import { z } from 'zod';
import { secret } from '../../core/config.ts';

const auth = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('apiToken'),
      email: z.email().describe('the agent or admin the API token acts as'),
      apiToken: secret.describe('Zendesk API token (Admin Center → Apps and integrations → Zendesk API): env("ZENDESK_API_TOKEN")'),
    })
    .strict()
    .describe('basic auth as {email}/token:{apiToken}'),
  z.object({ kind: z.literal('oauth'), accessToken: secret.describe('OAuth access token with the read scope: env("ZENDESK_OAUTH_TOKEN")') }).strict().describe('a bearer OAuth access token'),
]);

/** The `zendesk` source config. */
export const zendeskConfigSchema = z
  .object({
    type: z.literal('zendesk'),
    subdomain: z.string().regex(/^[a-z0-9][a-z0-9-]*$/i, 'the part before .zendesk.com').describe('the account subdomain: northwind for northwind.zendesk.com'),
    auth: auth.describe('how to authenticate: { kind: "apiToken", email, apiToken } or { kind: "oauth", accessToken }'),
    startDate: z.iso.date().describe('first day to extract on the first run (YYYY-MM-DD)'),
    lookbackDays: z.number().nonnegative().default(1).describe('days re-read behind the saved cursor on every run'),
    baseUrl: z.url().optional().describe('API root override, default https://{subdomain}.zendesk.com (tests and proxies)'),
    requestsPerMinute: z.number().int().positive().default(200).describe("the plan's API rate limit (Team 200, Growth/Professional 400, Enterprise 700); the incremental exports' own 10/minute is handled by waiting out their 429s"),
    exportPageSize: z.number().int().min(1).max(1000).default(1000).describe('tickets and users per incremental export page (at most 1000)'),
  })
  .strict();

/** A validated `zendesk` source config. */
export type ZendeskConfig = z.output<typeof zendeskConfigSchema>;

const time = () => z.iso.datetime({ offset: true });
const minutes = () => z.object({ calendar: z.number().nullable(), business: z.number().nullable() }).nullable();
const via = () => z.object({ channel: z.string(), source: z.unknown() }).loose();

/** One ticket of `GET /api/v2/incremental/tickets/cursor.json`. */
export const zendeskTicketSchema = z.object({
  url: z.string(),
  id: z.number().int(),
  external_id: z.string().nullable(),
  via: via(),
  created_at: time(),
  updated_at: time(),
  generated_timestamp: z.number().int(),
  type: z.enum(['problem', 'incident', 'question', 'task']).nullable(),
  subject: z.string().nullable(),
  raw_subject: z.string().nullable(),
  description: z.string().nullable(),
  recipient: z.string().nullable(),
  priority: z.enum(['urgent', 'high', 'normal', 'low']).nullable(),
  status: z.enum(['new', 'open', 'pending', 'hold', 'solved', 'closed', 'deleted']),
  requester_id: z.number().int(),
  submitter_id: z.number().int().nullable(),
  assignee_id: z.number().int().nullable(),
  organization_id: z.number().int().nullable(),
  group_id: z.number().int().nullable(),
  collaborator_ids: z.array(z.number().int()),
  follower_ids: z.array(z.number().int()),
  email_cc_ids: z.array(z.number().int()),
  forum_topic_id: z.number().int().nullable(),
  problem_id: z.number().int().nullable(),
  has_incidents: z.boolean(),
  is_public: z.boolean(),
  due_at: time().nullable(),
  tags: z.array(z.string()),
  custom_fields: z.array(z.object({ id: z.number().int(), value: z.unknown() })),
  fields: z.array(z.object({ id: z.number().int(), value: z.unknown() })),
  satisfaction_rating: z.object({ score: z.string() }).loose().nullable(),
  sharing_agreement_ids: z.array(z.number().int()),
  followup_ids: z.array(z.number().int()),
  ticket_form_id: z.number().int().nullable(),
  brand_id: z.number().int().nullable(),
  allow_channelback: z.boolean(),
  allow_attachments: z.boolean(),
  from_messaging_channel: z.boolean(),
});

/** One metric set sideloaded by `include=metric_sets` on the ticket export. */
export const zendeskTicketMetricSchema = z.object({
  url: z.string(),
  id: z.number().int(),
  ticket_id: z.number().int(),
  created_at: time(),
  updated_at: time(),
  group_stations: z.number().int().nullable(),
  assignee_stations: z.number().int().nullable(),
  reopens: z.number().int().min(0),
  replies: z.number().int().min(0),
  assignee_updated_at: time().nullable(),
  requester_updated_at: time().nullable(),
  status_updated_at: time().nullable(),
  initially_assigned_at: time().nullable(),
  assigned_at: time().nullable(),
  solved_at: time().nullable(),
  latest_comment_added_at: time().nullable(),
  reply_time_in_minutes: minutes(),
  reply_time_in_seconds: z.object({ calendar: z.number().nullable() }).nullable(),
  first_resolution_time_in_minutes: minutes(),
  full_resolution_time_in_minutes: minutes(),
  agent_wait_time_in_minutes: minutes(),
  requester_wait_time_in_minutes: minutes(),
  on_hold_time_in_minutes: minutes(),
  custom_status_updated_at: time().nullable(),
});

/** One comment of `GET /api/v2/tickets/{id}/comments.json`. */
export const zendeskCommentSchema = z.object({
  id: z.number().int(),
  type: z.enum(['Comment', 'VoiceComment']),
  author_id: z.number().int(),
  body: z.string(),
  html_body: z.string(),
  plain_body: z.string(),
  public: z.boolean(),
  attachments: z.array(z.unknown()),
  audit_id: z.number().int(),
  via: via(),
  created_at: time(),
  metadata: z.object({ system: z.unknown(), custom: z.unknown() }).loose(),
});

/** One user of `GET /api/v2/incremental/users/cursor.json`. */
export const zendeskUserSchema = z.object({
  url: z.string(),
  id: z.number().int(),
  name: z.string(),
  email: z.string().nullable(),
  created_at: time(),
  updated_at: time(),
  role: z.enum(['end-user', 'agent', 'admin']),
  role_type: z.number().int().nullable(),
  active: z.boolean(),
  suspended: z.boolean(),
  verified: z.boolean(),
  locale: z.string().nullable(),
  time_zone: z.string().nullable(),
  iana_time_zone: z.string().nullable(),
  phone: z.string().nullable(),
  photo: z.object({ content_url: z.string() }).loose().nullable(),
  locale_id: z.number().int().nullable(),
  organization_id: z.number().int().nullable(),
  external_id: z.string().nullable(),
  tags: z.array(z.string()),
  alias: z.string().nullable(),
  shared: z.boolean(),
  shared_agent: z.boolean(),
  last_login_at: time().nullable(),
  two_factor_auth_enabled: z.boolean().nullable(),
  signature: z.string().nullable(),
  details: z.string().nullable(),
  notes: z.string().nullable(),
  custom_role_id: z.number().int().nullable(),
  moderator: z.boolean(),
  ticket_restriction: z.enum(['organization', 'groups', 'assigned', 'requested']).nullable(),
  only_private_comments: z.boolean(),
  restricted_agent: z.boolean(),
  default_group_id: z.number().int().nullable(),
  report_csv: z.boolean(),
  user_fields: z.record(z.string(), z.unknown()),
});

/** One rating of `GET /api/v2/satisfaction_ratings.json`. */
export const zendeskSatisfactionRatingSchema = z.object({
  url: z.string(),
  id: z.number().int(),
  assignee_id: z.number().int().nullable(),
  group_id: z.number().int().nullable(),
  requester_id: z.number().int(),
  ticket_id: z.number().int(),
  score: z.enum(['offered', 'unoffered', 'good', 'bad']),
  comment: z.string().nullable(),
  reason: z.string().nullable(),
  reason_code: z.number().int().nullable(),
  created_at: time(),
  updated_at: time(),
});
