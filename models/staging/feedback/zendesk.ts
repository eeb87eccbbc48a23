/**
 * Staging models of the Zendesk source: tickets, ticket comments, ticket metrics, satisfaction
 * ratings and users, renamed and typed; every person is a pseudonymous key
 * (`pseudonym('zendesk:' || user id)`, the same key in every Zendesk model).
 */
import { defineModel } from '../../engine/index.ts';

export const stgZendeskTickets = defineModel({
  name: 'stg_zendesk__tickets',
  layer: 'staging',
  sql: 'sql/staging/stg_zendesk__tickets.sql',
  materialized: 'view',
  grain: 'ticket',
  uniqueKey: ['ticket_id'],
  tags: ['feedback', 'zendesk'],
  description: 'Zendesk tickets (incremental ticket export), renamed and typed; requester and assignee as pseudonymous keys. Subject and description stay in raw.',
  columns: {
    ticket_id: { type: 'VARCHAR', description: 'Zendesk ticket id.' },
    created_at: { type: 'TIMESTAMPTZ', description: 'When the ticket was opened: the first customer message (UTC).' },
    updated_at: { type: 'TIMESTAMPTZ', description: 'Last update (UTC).' },
    channel: { type: 'VARCHAR', description: 'How the ticket arrived (Zendesk via.channel: email, web, chat, voice, facebook, instagram_dm, …).' },
    status: { type: 'VARCHAR', description: 'Zendesk status: new, open, pending, hold, solved, closed.' },
    is_resolved: { type: 'BOOLEAN', description: 'Status is solved or closed.' },
    priority: { type: 'VARCHAR', description: 'urgent, high, normal or low.', nullable: true },
    ticket_type: { type: 'VARCHAR', description: 'problem, incident, question or task.', nullable: true },
    requester_key: { type: 'VARCHAR', description: 'Pseudonymous key of the requester (stg_zendesk__users.user_key).' },
    assignee_key: { type: 'VARCHAR', description: 'Pseudonymous key of the assigned agent.', nullable: true },
    satisfaction_score: { type: 'VARCHAR', description: 'The ticket\'s CSAT state: good, bad, offered or unoffered.', nullable: true },
    tags: { type: 'VARCHAR[]', description: 'Ticket tags.' },
  },
  tests: [{ kind: 'accepted_values', column: 'status', values: ['new', 'open', 'pending', 'hold', 'solved', 'closed', 'deleted'] }],
});

export const stgZendeskTicketComments = defineModel({
  name: 'stg_zendesk__ticket_comments',
  layer: 'staging',
  sql: 'sql/staging/stg_zendesk__ticket_comments.sql',
  // A table, incremental per comment: its readers and its checks read stored rows instead of
  // running the view again, and a build recomputes only the comments loaded since the last.
  materialized: 'incremental',
  incremental: { by: 'comment_id', changed: 'sql/staging/stg_zendesk__ticket_comments.changed.sql' },
  grain: 'ticket comment',
  uniqueKey: ['comment_id'],
  tags: ['feedback', 'zendesk'],
  description: 'Zendesk ticket comments (public replies and internal notes); the author as a pseudonymous key. Join stg_zendesk__users on author_key = user_key for the role.',
  columns: {
    comment_id: { type: 'VARCHAR', description: 'Zendesk comment id.' },
    ticket_id: { type: 'VARCHAR', description: 'Ticket the comment belongs to.' },
    author_key: { type: 'VARCHAR', description: 'Pseudonymous key of the author (stg_zendesk__users.user_key).' },
    body: { type: 'VARCHAR', description: 'Comment text (plain body).' },
    is_public: { type: 'BOOLEAN', description: 'True for a public reply, false for an internal note.' },
    comment_type: { type: 'VARCHAR', description: 'Comment or VoiceComment.' },
    via_channel: { type: 'VARCHAR', description: 'Channel the comment came through.', nullable: true },
    created_at: { type: 'TIMESTAMPTZ', description: 'When the comment was written (UTC).' },
  },
});

export const stgZendeskTicketMetrics = defineModel({
  name: 'stg_zendesk__ticket_metrics',
  layer: 'staging',
  sql: 'sql/staging/stg_zendesk__ticket_metrics.sql',
  materialized: 'view',
  grain: 'ticket',
  uniqueKey: ['ticket_id'],
  tags: ['feedback', 'zendesk'],
  description: "Zendesk's metric set per ticket: replies, reopens, solve time and Zendesk's own reply and resolution minutes (calendar and business hours).",
  columns: {
    ticket_id: { type: 'VARCHAR', description: 'Zendesk ticket id.' },
    replies: { type: 'BIGINT', description: 'Agent replies (Zendesk count).' },
    reopens: { type: 'BIGINT', description: 'Times the ticket was reopened.' },
    solved_at: { type: 'TIMESTAMPTZ', description: 'When the ticket was (last) solved.', nullable: true },
    first_reply_minutes: { type: 'DOUBLE', description: "Zendesk's first reply time, calendar minutes.", nullable: true },
    first_reply_business_minutes: { type: 'DOUBLE', description: "Zendesk's first reply time, business minutes.", nullable: true },
    first_resolution_minutes: { type: 'DOUBLE', description: "Zendesk's first resolution time, calendar minutes.", nullable: true },
    full_resolution_minutes: { type: 'DOUBLE', description: "Zendesk's full resolution time, calendar minutes.", nullable: true },
    full_resolution_business_minutes: { type: 'DOUBLE', description: "Zendesk's full resolution time, business minutes.", nullable: true },
  },
});

export const stgZendeskSatisfactionRatings = defineModel({
  name: 'stg_zendesk__satisfaction_ratings',
  layer: 'staging',
  sql: 'sql/staging/stg_zendesk__satisfaction_ratings.sql',
  materialized: 'view',
  grain: 'satisfaction rating',
  uniqueKey: ['rating_id'],
  tags: ['feedback', 'zendesk'],
  description: 'Zendesk CSAT ratings of tickets (good or bad; offered/unoffered when not answered); the requester as a pseudonymous key.',
  columns: {
    rating_id: { type: 'VARCHAR', description: 'Zendesk rating id.' },
    ticket_id: { type: 'VARCHAR', description: 'Rated ticket.' },
    score: { type: 'VARCHAR', description: 'good, bad, offered or unoffered.' },
    comment: { type: 'VARCHAR', description: 'Free-text comment with the rating.', nullable: true },
    requester_key: { type: 'VARCHAR', description: 'Pseudonymous key of the requester.' },
    created_at: { type: 'TIMESTAMPTZ', description: 'When the rating was given (UTC).' },
  },
  tests: [{ kind: 'accepted_values', column: 'score', values: ['offered', 'unoffered', 'good', 'bad'] }],
});

export const stgZendeskUsers = defineModel({
  name: 'stg_zendesk__users',
  layer: 'staging',
  sql: 'sql/staging/stg_zendesk__users.sql',
  materialized: 'view',
  grain: 'Zendesk user',
  uniqueKey: ['user_key'],
  tags: ['feedback', 'zendesk'],
  description: 'Zendesk users (agents and end-users) as pseudonymous keys with their role; names, emails and phones stay in raw.',
  columns: {
    user_key: { type: 'VARCHAR', description: "Pseudonymous key: pseudonym('zendesk:' || Zendesk user id)." },
    customer_key: { type: 'VARCHAR', description: 'pseudonym(external_id): the shop customer key when Zendesk knows it (the same key as the surveys).', nullable: true },
    role: { type: 'VARCHAR', description: 'end-user, agent or admin.' },
    is_agent: { type: 'BOOLEAN', description: 'Role is agent or admin: the brand speaking.' },
    locale: { type: 'VARCHAR', description: 'The user\'s Zendesk locale.', nullable: true },
    created_at: { type: 'TIMESTAMPTZ', description: 'When the user was created (UTC).' },
  },
  tests: [{ kind: 'accepted_values', column: 'role', values: ['end-user', 'agent', 'admin'] }],
});

/** The Zendesk staging models. */
export const ZENDESK_STAGING_MODELS = [stgZendeskTickets, stgZendeskTicketComments, stgZendeskTicketMetrics, stgZendeskSatisfactionRatings, stgZendeskUsers] as const;
