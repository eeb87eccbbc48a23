import { afterEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../core/warehouse.ts';
import { buildAll, insertRows, setupFeedbackWarehouse, socialText } from './helpers.ts';

let wh: Warehouse | undefined;
afterEach(() => {
  wh?.close();
  wh = undefined;
});

const DAY = '2026-03-01';
const at = (time: string) => `${DAY}T${time}:00Z`;
const AGENT = 900;
const ADMIN = 901;

/** Social threads on Facebook; response times in minutes: T1 10, T2 30, T3 60, T5 120, T7 20; T4 and T6 unanswered. */
const THREADS = [
  socialText({ text_id: 't1:a', thread_id: 'T1', created_at: at('10:00'), text: 'Do you ship to Canada?' }),
  socialText({ text_id: 't1:b', thread_id: 'T1', created_at: at('10:10'), text: 'Yes we do!', is_brand: true }),
  socialText({ text_id: 't1:c', thread_id: 'T1', created_at: at('11:00'), text: 'Anything else?', is_brand: true }),
  socialText({ text_id: 't2:a', thread_id: 'T2', created_at: at('10:00'), text: 'What size should I take?' }),
  socialText({ text_id: 't2:b', thread_id: 'T2', created_at: at('10:05'), text: 'I am usually a medium.' }),
  socialText({ text_id: 't2:c', thread_id: 'T2', created_at: at('10:30'), text: 'Medium will fit.', is_brand: true }),
  socialText({ text_id: 't3:a', thread_id: 'T3', created_at: at('09:00'), text: 'Is the jacket waterproof?' }),
  socialText({ text_id: 't3:b', thread_id: 'T3', created_at: at('10:00'), text: 'It is.', is_brand: true }),
  socialText({ text_id: 't4:a', thread_id: 'T4', created_at: at('12:00'), text: 'When is the sale?' }),
  socialText({ text_id: 't5:a', thread_id: 'T5', created_at: at('08:00'), text: 'My order arrived damaged and late. Terrible.' }),
  socialText({ text_id: 't5:b', thread_id: 'T5', created_at: at('10:00'), text: 'So sorry, we will fix it.', is_brand: true }),
  socialText({ text_id: 't6:a', thread_id: 'T6', created_at: at('13:00'), text: 'Terrible delivery, the package was broken.' }),
  // the brand's post opens T7; only its reply after the customer's first message counts
  socialText({ text_id: 't7:a', thread_id: 'T7', created_at: at('07:00'), text: 'New colours are out.', is_brand: true }),
  socialText({ text_id: 't7:b', thread_id: 'T7', created_at: at('07:30'), text: 'Is there a green one?' }),
  socialText({ text_id: 't7:c', thread_id: 'T7', created_at: at('07:50'), text: 'Yes, forest green.', is_brand: true }),
];

const json = (v: unknown) => v;

async function seedZendesk(w: Warehouse): Promise<void> {
  await insertRows(w, 'raw.zendesk__users', [
    { id: 500, name: 'Ann Example', email: 'ann@example.com', external_id: 'c1', role: 'end-user', locale: 'en-US', created_at: at('00:00') },
    { id: 501, name: 'Bob Example', email: 'bob@example.com', external_id: 'c2', role: 'end-user', locale: 'en-US', created_at: at('00:00') },
    { id: 502, name: 'Cy Example', email: 'cy@example.com', external_id: null, role: 'end-user', locale: 'en-US', created_at: at('00:00') },
    { id: 503, name: 'Di Example', email: 'di@example.com', external_id: 'c4', role: 'end-user', locale: 'en-US', created_at: at('00:00') },
    { id: AGENT, name: 'Agent A', email: 'a@brand.example', external_id: null, role: 'agent', locale: 'en-US', created_at: at('00:00') },
    { id: ADMIN, name: 'Admin B', email: 'b@brand.example', external_id: null, role: 'admin', locale: 'en-US', created_at: at('00:00') },
  ]);
  const ticket = (id: number, created: string, status: string, requester: number) => ({
    id, created_at: at(created), updated_at: at('23:00'), via: json({ channel: 'email', source: {} }), status, priority: 'normal', type: 'question',
    requester_id: requester, assignee_id: AGENT, satisfaction_rating: json({ score: 'unoffered' }), tags: json(['x']),
  });
  await insertRows(w, 'raw.zendesk__tickets', [ticket(1, '09:00', 'solved', 500), ticket(2, '10:00', 'closed', 501), ticket(3, '11:00', 'open', 502), ticket(4, '12:00', 'new', 503)]);
  const comment = (id: number, ticket: number, author: number, time: string, body: string, isPublic = true) => ({
    id, ticket_id: String(ticket), author_id: author, body, plain_body: body, public: isPublic, type: 'Comment', via: json({ channel: 'web' }), created_at: at(time),
  });
  await insertRows(w, 'raw.zendesk__ticket_comments', [
    comment(11, 1, 500, '09:00', 'Hi team,\n\nCan I change the size of my order?\n\nAnn'),
    comment(12, 1, AGENT, '09:30', 'Done, the new size ships today.'),
    comment(21, 2, 501, '10:00', 'The zipper broke after one day, awful quality.'),
    comment(22, 2, AGENT, '11:00', 'Sorry! Can you send a photo?'),
    comment(23, 2, 501, '11:30', 'Here it is.'),
    comment(24, 2, ADMIN, '12:00', 'A replacement is on its way.'),
    comment(31, 3, 502, '11:00', 'My package arrived damaged, terrible.'),
    comment(32, 3, AGENT, '11:10', 'internal: check the courier', false),
    comment(33, 3, AGENT, '13:00', 'We are looking into it.'),
    comment(41, 4, 503, '12:00', 'I love your jackets, do you ship to Canada?'),
  ]);
  const minutes = (calendar: number | null) => json({ calendar, business: calendar });
  await insertRows(w, 'raw.zendesk__ticket_metrics', [
    { ticket_id: 1, replies: 1, reopens: 0, solved_at: at('12:00'), reply_time_in_minutes: minutes(30), first_resolution_time_in_minutes: minutes(180), full_resolution_time_in_minutes: minutes(180) },
    { ticket_id: 2, replies: 2, reopens: 0, solved_at: at('14:00'), reply_time_in_minutes: minutes(60), first_resolution_time_in_minutes: minutes(240), full_resolution_time_in_minutes: minutes(240) },
    { ticket_id: 3, replies: 1, reopens: 0, solved_at: null, reply_time_in_minutes: minutes(120), first_resolution_time_in_minutes: minutes(null), full_resolution_time_in_minutes: minutes(null) },
    { ticket_id: 4, replies: 0, reopens: 0, solved_at: null, reply_time_in_minutes: minutes(null), first_resolution_time_in_minutes: minutes(null), full_resolution_time_in_minutes: minutes(null) },
  ]);
  await insertRows(w, 'raw.zendesk__satisfaction_ratings', [
    { id: 71, ticket_id: 1, score: 'good', comment: null, requester_id: 500, created_at: at('13:00') },
    { id: 72, ticket_id: 2, score: 'bad', comment: 'slow', requester_id: 501, created_at: at('15:00') },
    { id: 73, ticket_id: 3, score: 'offered', comment: null, requester_id: 502, created_at: at('15:00') },
  ]);
  await insertRows(w, 'raw.surveys__responses', [
    { response_id: 'csat_1', survey: 'csat', score: 5, responded_at: at('16:00'), customer_id: 'c2', respondent_email: 'bob@example.com', order_id: null, ticket_id: '2', comment: null, lang: null },
    { response_id: 'csat_2', survey: 'csat', score: 3, responded_at: at('16:00'), customer_id: 'c4', respondent_email: 'di@example.com', order_id: null, ticket_id: '4', comment: null, lang: null },
    { response_id: 'csat_3', survey: 'csat', score: 1, responded_at: at('16:00'), customer_id: 'c9', respondent_email: 'x@example.com', order_id: null, ticket_id: null, comment: null, lang: null },
  ]);
}

describe('fct_service_daily', () => {
  it('measures social first response time (mean, median, p90, max), response and complaint handling per platform', async () => {
    const setup = await setupFeedbackWarehouse();
    wh = setup.wh;
    await insertRows(wh, 'raw.stand_in__social_texts', THREADS);
    await buildAll(wh, setup.models, ['+fct_service_daily']);
    const [row] = await wh.all<Record<string, number | null>>(`select * exclude (day) from marts.fct_service_daily where source = 'social'`);
    // replied response times sorted: 10, 20, 30, 60, 120 minutes
    // mean = 240 / 5 = 48; median = 30; p90 at position 0.9 × 4 = 3.6 → 60 + 0.6 × (120 − 60) = 96; max = 120
    // conversations = 7 threads, replied = 5 → response rate 5/7
    // complaints: T5 (replied) and T6 (not) → complaint resolution rate 1/2
    expect(row).toMatchObject({ source: 'social', channel: 'facebook', conversations: 7, replied: 5, resolved: null, resolution_minutes_mean: null, fcr_rate: null, csat: null, csat_ratings: null, complaints: 2 });
    expect(row?.['response_rate']).toBeCloseTo(5 / 7, 12);
    expect(row?.['first_response_minutes_mean']).toBeCloseTo(48, 9);
    expect(row?.['first_response_minutes_median']).toBeCloseTo(30, 9);
    expect(row?.['first_response_minutes_p90']).toBeCloseTo(96, 9);
    expect(row?.['first_response_minutes_max']).toBeCloseTo(120, 9);
    expect(row?.['complaint_resolution_rate']).toBeCloseTo(0.5, 12);
  });

  it('measures Zendesk first response, resolution, FCR, CSAT (ratings + CSAT surveys) and complaint resolution per channel', async () => {
    const setup = await setupFeedbackWarehouse();
    wh = setup.wh;
    await seedZendesk(wh);
    await buildAll(wh, setup.models, ['+fct_service_daily']);
    const rows = await wh.all<Record<string, unknown>>(`select * exclude (day), day::varchar as day from marts.fct_service_daily`);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    // first public agent reply − ticket created: #1 30, #2 60, #3 120 (the 11:10 internal note does not count), #4 none
    // mean = 210 / 3 = 70; median = 60; p90 at position 0.9 × 2 = 1.8 → 60 + 0.8 × (120 − 60) = 108; max = 120
    // resolved: #1 (solved, 180 min), #2 (closed, 240 min) → mean 210, median 210
    // FCR: #1 had exactly one public agent reply, #2 two → 1 / 2
    // CSAT: ratings good (#1), bad (#2) + CSAT surveys 5 (#2), 3 (#4) → satisfied 2 of 4 = 0.5 (csat_3 has no ticket)
    // complaints: #2 (zipper broke, awful quality) resolved, #3 (package damaged) open → 1 / 2
    expect(row).toMatchObject({ day: DAY, source: 'zendesk', channel: 'email', conversations: 4, replied: 3, resolved: 2, csat_ratings: 4, complaints: 2 });
    expect(row['response_rate']).toBeCloseTo(0.75, 12);
    expect(row['first_response_minutes_mean']).toBeCloseTo(70, 9);
    expect(row['first_response_minutes_median']).toBeCloseTo(60, 9);
    expect(row['first_response_minutes_p90']).toBeCloseTo(108, 9);
    expect(row['first_response_minutes_max']).toBeCloseTo(120, 9);
    expect(row['resolution_minutes_mean']).toBeCloseTo(210, 9);
    expect(row['resolution_minutes_median']).toBeCloseTo(210, 9);
    expect(row['fcr_rate']).toBeCloseTo(0.5, 12);
    expect(row['csat']).toBeCloseTo(0.5, 12);
    expect(row['complaint_resolution_rate']).toBeCloseTo(0.5, 12);
  });

  it('feeds end-users\' public ticket comments (greeting and signature cut) into int_feedback_texts, never agents\' or internal ones', async () => {
    const setup = await setupFeedbackWarehouse();
    wh = setup.wh;
    await seedZendesk(wh);
    await buildAll(wh, setup.models, ['+fct_feedback']);
    const texts = await wh.all<{ text_id: string; text: string; thread_id: string; author_key: string; channel: string }>(
      `select text_id, text, thread_id, author_key, channel from intermediate.int_feedback_texts order by text_id`,
    );
    expect(texts.map((t) => t.text_id)).toEqual(['zendesk:comment:11', 'zendesk:comment:21', 'zendesk:comment:23', 'zendesk:comment:31', 'zendesk:comment:41']);
    expect(texts[0]).toMatchObject({ text: 'Can I change the size of my order?', thread_id: 'zendesk:ticket:1', channel: 'zendesk' });
    const [keys] = await wh.all<{ c1: string; zendesk_502: string }>(`select pseudonym('c1') as c1, pseudonym('zendesk:502') as zendesk_502`);
    // a requester known to the shop gets the customer key; one without external_id the Zendesk user key
    expect(texts[0]?.author_key).toBe(keys?.c1);
    expect(texts.find((t) => t.text_id === 'zendesk:comment:31')?.author_key).toBe(keys?.zendesk_502);
  });
});
