/**
 * The feedback area's SQL marts: sentiment per day, customer service per day and channel, survey
 * scores per day, and share of voice per day and brand.
 */
import { defineModel } from '../../engine/index.ts';

export const fctSentimentDaily = defineModel({
  name: 'fct_sentiment_daily',
  layer: 'marts',
  sql: 'sql/marts/fct_sentiment_daily.sql',
  materialized: 'table',
  grain: 'day × platform × kind of text',
  uniqueKey: ['day', 'platform', 'kind'],
  tags: ['feedback'],
  description:
    'Sentiment of customer texts (fct_feedback) per day, platform and kind of text; mentions of competitors are left out (see fct_share_of_voice). ' +
    '`texts` counts the scored texts, i.e. without those in unsupported languages (counted apart in `unsupported`), and is the denominator of every rate: ' +
    'net_sentiment = (positive − negative) / texts, complaint_rate = complaints / texts, mean_score = mean of the scores (NULL when texts = 0). ' +
    'top_themes: up to 5 terms of fct_feedback.themes ranked by TF-IDF — (texts of the group listing the term) × (ln((1 + texts that day) / (1 + texts that day listing it)) + 1), over all platforms and kinds of that day — among terms at least 2 texts of the group list; ties by term.',
  columns: {
    day: { type: 'DATE', description: 'Calendar day in the reporting time zone.' },
    platform: { type: 'VARCHAR', description: "Social platform, or 'zendesk', 'survey', 'shop'." },
    kind: { type: 'VARCHAR', description: 'Kind of text: comment, reply, mention, message, ticket_comment, survey_answer, review.' },
    texts: { type: 'BIGINT', description: 'Scored texts (unsupported languages excluded): the denominator of the rates.' },
    positive: { type: 'BIGINT', description: 'Texts with score ≥ 0.05.' },
    neutral: { type: 'BIGINT', description: 'Texts with −0.05 < score < 0.05.' },
    negative: { type: 'BIGINT', description: 'Texts with score ≤ −0.05.' },
    unsupported: { type: 'BIGINT', description: 'Texts in languages without a lexicon (not scored, not in `texts`).' },
    net_sentiment: { type: 'DOUBLE', description: '(positive − negative) / texts, −1..1; NULL when texts = 0.', nullable: true },
    mean_score: { type: 'DOUBLE', description: 'Mean compound score of the scored texts; NULL when texts = 0.', nullable: true },
    complaints: { type: 'BIGINT', description: 'Texts flagged is_complaint.' },
    complaint_rate: { type: 'DOUBLE', description: 'complaints / texts; NULL when texts = 0.', nullable: true },
    top_themes: { type: 'VARCHAR[]', description: 'Up to 5 themes by TF-IDF over the day (see the model description), heaviest first.' },
  },
  tests: [
    { kind: 'expression', name: 'labels_add_up', expression: 'positive + neutral + negative = texts' },
    { kind: 'expression', name: 'net_sentiment_in_range', expression: 'net_sentiment is null or net_sentiment between -1 and 1' },
  ],
});

export const fctServiceDaily = defineModel({
  name: 'fct_service_daily',
  layer: 'marts',
  sql: 'sql/marts/fct_service_daily.sql',
  materialized: 'table',
  grain: 'day × source × channel',
  uniqueKey: ['day', 'source', 'channel'],
  tags: ['feedback'],
  description:
    "Customer service per day and channel. source 'zendesk': tickets, channel = how the ticket arrived (email, web, chat, voice, facebook, instagram_dm). " +
    "source 'social': threads a customer wrote in (int_social_texts; a text without a thread is its own conversation; competitor mentions excluded), channel = the platform. " +
    'A conversation counts on the day of its first customer message. ' +
    'First response time = first brand reply (a public agent comment / an is_brand text) after the first customer message − that message, in minutes; ' +
    'median and p90 are linear-interpolated quantiles (quantile_cont) over the conversations that got a reply. ' +
    'Social response time is a headline metric of its own (read the source = social rows): social threads have no resolution, FCR or CSAT, so those are NULL there. ' +
    'Zendesk: resolution time = solved_at − created_at of solved/closed tickets; FCR = resolved tickets with exactly one public agent reply / resolved tickets; ' +
    "CSAT = (Zendesk 'good' ratings + CSAT-survey answers of 4–5 about the ticket) / (good + bad ratings + CSAT-survey answers about the ticket), a share 0..1. " +
    'complaint_resolution_rate = complaint conversations (a customer text flagged is_complaint) that were resolved (Zendesk) or got a brand reply (social) / complaint conversations.',
  columns: {
    day: { type: 'DATE', description: 'Day of the first customer message (reporting time zone).' },
    source: { type: 'VARCHAR', description: "zendesk or social (a ticket channel and a platform may share a name, e.g. facebook)." },
    channel: { type: 'VARCHAR', description: 'Zendesk via channel, or the social platform.' },
    conversations: { type: 'BIGINT', description: 'Tickets / social threads started that day.' },
    replied: { type: 'BIGINT', description: 'Conversations with a brand reply.' },
    response_rate: { type: 'DOUBLE', description: 'replied / conversations.' },
    first_response_minutes_mean: { type: 'DOUBLE', description: 'Mean first response time, minutes; NULL when none was replied to.', nullable: true },
    first_response_minutes_median: { type: 'DOUBLE', description: 'Median first response time, minutes (interpolated).', nullable: true },
    first_response_minutes_p90: { type: 'DOUBLE', description: '90th percentile of first response time, minutes (linear interpolation).', nullable: true },
    first_response_minutes_max: { type: 'DOUBLE', description: 'Longest first response time, minutes.', nullable: true },
    resolved: { type: 'BIGINT', description: 'Tickets solved or closed (Zendesk only; NULL for social).', nullable: true },
    resolution_minutes_mean: { type: 'DOUBLE', description: 'Mean resolution time of resolved tickets, minutes (Zendesk only).', nullable: true },
    resolution_minutes_median: { type: 'DOUBLE', description: 'Median resolution time of resolved tickets, minutes (Zendesk only).', nullable: true },
    fcr_rate: { type: 'DOUBLE', description: 'First contact resolution: resolved with exactly one brand reply / resolved (Zendesk only).', nullable: true },
    csat_ratings: { type: 'BIGINT', description: 'Good/bad ratings plus CSAT-survey answers about these tickets (Zendesk only).', nullable: true },
    csat: { type: 'DOUBLE', description: 'Share of satisfied ratings: good, or 4–5 on a CSAT survey (Zendesk only; NULL without ratings).', nullable: true },
    complaints: { type: 'BIGINT', description: 'Conversations with a customer text flagged is_complaint.' },
    complaint_resolution_rate: { type: 'DOUBLE', description: 'Complaint conversations resolved (Zendesk) or replied to (social) / complaint conversations; NULL without complaints.', nullable: true },
  },
  tests: [
    { kind: 'expression', name: 'replied_within_conversations', expression: 'replied <= conversations' },
    { kind: 'expression', name: 'response_times_ordered', expression: 'first_response_minutes_median is null or (first_response_minutes_median <= first_response_minutes_p90 and first_response_minutes_p90 <= first_response_minutes_max)' },
    { kind: 'expression', name: 'csat_is_a_share', expression: 'csat is null or csat between 0 and 1' },
  ],
});

export const fctSurveyDaily = defineModel({
  name: 'fct_survey_daily',
  layer: 'marts',
  sql: 'sql/marts/fct_survey_daily.sql',
  materialized: 'table',
  grain: 'day × survey',
  uniqueKey: ['day', 'survey'],
  tags: ['feedback'],
  description:
    'Survey answers per day (reporting time zone) and survey kind. NPS (nps surveys, 0–10) = % promoters (9–10) − % detractors (0–6), a number in −100..100; ' +
    'CSAT (csat surveys, 1–5) = share of answers 4–5, 0..1; CES (ces surveys, 1–7) = mean answer. Each score is NULL on the other kinds\' rows.',
  columns: {
    day: { type: 'DATE', description: 'Day of the answers (reporting time zone).' },
    survey: { type: 'VARCHAR', description: 'nps, csat or ces.' },
    responses: { type: 'BIGINT', description: 'Answers that day.' },
    comments: { type: 'BIGINT', description: 'Answers with a free-text comment.' },
    promoters: { type: 'BIGINT', description: 'NPS answers 9–10 (NULL for other kinds).', nullable: true },
    passives: { type: 'BIGINT', description: 'NPS answers 7–8 (NULL for other kinds).', nullable: true },
    detractors: { type: 'BIGINT', description: 'NPS answers 0–6 (NULL for other kinds).', nullable: true },
    nps: { type: 'DOUBLE', description: '100 × (promoters − detractors) / responses, −100..100 (nps only).', nullable: true },
    csat: { type: 'DOUBLE', description: 'Share of answers 4–5, 0..1 (csat only).', nullable: true },
    ces: { type: 'DOUBLE', description: 'Mean answer on the 1–7 effort scale (ces only).', nullable: true },
  },
  tests: [
    { kind: 'accepted_values', column: 'survey', values: ['nps', 'csat', 'ces'] },
    { kind: 'expression', name: 'nps_in_range', expression: 'nps is null or nps between -100 and 100' },
  ],
});

export const fctShareOfVoice = defineModel({
  name: 'fct_share_of_voice',
  layer: 'marts',
  sql: 'sql/marts/fct_share_of_voice.sql',
  materialized: 'table',
  grain: 'day × brand',
  uniqueKey: ['day', 'brand'],
  tags: ['feedback'],
  description:
    'Mentions, share of voice, audience and engagement of the brand and each competitor per day, summed over platforms (int_brand_daily). ' +
    'share_of_voice = the brand\'s mentions / mentions of all brands (own and competitors) that day. ' +
    'engagement_rate = engagements / followers over the platforms reporting both. ' +
    'Sentiment of mentions: fct_feedback texts whose mentioned_brand is the brand — mean score and net sentiment (positive − negative) / scored texts; NULL when there are none (often so for competitors).',
  columns: {
    day: { type: 'DATE', description: 'Calendar day.' },
    brand: { type: 'VARCHAR', description: 'The brand or competitor (as int_brand_daily names it).' },
    is_own_brand: { type: 'BOOLEAN', description: 'True for the brand itself, false for a competitor.' },
    platforms: { type: 'BIGINT', description: 'Platforms reporting the brand that day.' },
    mentions: { type: 'BIGINT', description: 'Mentions summed over platforms.', nullable: true },
    share_of_voice: { type: 'DOUBLE', description: 'mentions / all brands\' mentions that day; NULL when nobody was mentioned.', nullable: true },
    followers: { type: 'BIGINT', description: 'Followers summed over platforms that report them.', nullable: true },
    posts: { type: 'BIGINT', description: 'Posts summed over platforms.', nullable: true },
    engagements: { type: 'BIGINT', description: 'Engagements summed over platforms.', nullable: true },
    engagement_rate: { type: 'DOUBLE', description: 'Engagements / followers over platforms reporting both.', nullable: true },
    mention_texts: { type: 'BIGINT', description: 'Scored texts (unsupported languages excluded) that mention the brand.' },
    mention_mean_score: { type: 'DOUBLE', description: 'Mean sentiment score of those texts; NULL when none.', nullable: true },
    mention_net_sentiment: { type: 'DOUBLE', description: '(positive − negative) / mention_texts; NULL when none.', nullable: true },
  },
  tests: [{ kind: 'expression', name: 'share_is_a_share', expression: 'share_of_voice is null or share_of_voice between 0 and 1' }],
});
