/**
 * Staging models of the LinkedIn source (`raw.linkedin__*`): renamed, typed, statistics JSON
 * flattened, members as pseudonymous keys.
 */
import { defineModel } from '../../engine/index.ts';
import { col, nullable } from './columns.ts';

const shareStatistics = {
  impressions: col('BIGINT', 'Impressions (impressionCount).'),
  unique_impressions: nullable('BIGINT', 'Unique members reached (uniqueImpressionsCount).'),
  clicks: col('BIGINT', 'Clicks (clickCount).'),
  likes: col('BIGINT', 'Reactions (likeCount).'),
  comments: col('BIGINT', 'Comments (commentCount).'),
  shares: col('BIGINT', 'Reposts (shareCount).'),
  linkedin_engagement_rate: col('DOUBLE', 'LinkedIn’s own engagement = (clicks + likes + comments + shares) / impressions; not the warehouse definition.'),
} as const;

export const stgLinkedinShareStatisticsDaily = defineModel({
  name: 'stg_linkedin__share_statistics_daily',
  layer: 'staging',
  sql: 'sql/staging/stg_linkedin__share_statistics_daily.sql',
  materialized: 'view',
  grain: 'organization × day',
  uniqueKey: ['organization_urn', 'day'],
  tags: ['social', 'linkedin'],
  description: 'Daily organic share statistics of the organization (organizationalEntityShareStatistics with timeIntervals), totalShareStatistics flattened.',
  columns: {
    organization_urn: col('VARCHAR', 'urn:li:organization:<id>.'),
    day: col('DATE', 'Day the statistics cover (UTC).'),
    ...shareStatistics,
  },
});

export const stgLinkedinFollowerStatisticsDaily = defineModel({
  name: 'stg_linkedin__follower_statistics_daily',
  layer: 'staging',
  sql: 'sql/staging/stg_linkedin__follower_statistics_daily.sql',
  materialized: 'view',
  grain: 'organization × day',
  uniqueKey: ['organization_urn', 'day'],
  tags: ['social', 'linkedin'],
  description: 'Daily follower gains of the organization (net gains, organic and paid); LinkedIn gives no follower total per day.',
  columns: {
    organization_urn: col('VARCHAR', 'urn:li:organization:<id>.'),
    day: col('DATE', 'Day (UTC).'),
    organic_follower_gain: col('BIGINT', 'Net organic follower gain.'),
    paid_follower_gain: col('BIGINT', 'Net paid follower gain.'),
  },
});

export const stgLinkedinPosts = defineModel({
  name: 'stg_linkedin__posts',
  layer: 'staging',
  sql: 'sql/staging/stg_linkedin__posts.sql',
  materialized: 'view',
  grain: 'post',
  uniqueKey: ['post_urn'],
  tags: ['social', 'linkedin'],
  description: 'The organization’s posts; epoch-millisecond times typed as timestamps; the link from the article content or the commentary.',
  columns: {
    post_urn: col('VARCHAR', 'urn:li:share:<id> or urn:li:ugcPost:<id>.'),
    organization_urn: col('VARCHAR', 'Author organization URN.'),
    created_at: col('TIMESTAMPTZ', 'When the post was created (UTC).'),
    published_at: col('TIMESTAMPTZ', 'When it was published (UTC; created time when LinkedIn gives none).'),
    text: col('VARCHAR', 'Commentary.'),
    visibility: col('VARCHAR', 'PUBLIC, CONNECTIONS, LOGGED_IN or CONTAINER.'),
    lifecycle_state: col('VARCHAR', 'PUBLISHED, DRAFT, …'),
    link_url: nullable('VARCHAR', 'URL with utm_ tags in the commentary, else the article source, else the first URL.'),
  },
});

export const stgLinkedinPostStatistics = defineModel({
  name: 'stg_linkedin__post_statistics',
  layer: 'staging',
  sql: 'sql/staging/stg_linkedin__post_statistics.sql',
  materialized: 'view',
  grain: 'post',
  uniqueKey: ['post_urn'],
  tags: ['social', 'linkedin'],
  description: 'Lifetime statistics of each post (organizationalEntityShareStatistics with shares=List(…)), totalShareStatistics flattened.',
  columns: {
    post_urn: col('VARCHAR', 'Post URN.'),
    organization_urn: col('VARCHAR', 'Organization URN.'),
    ...shareStatistics,
  },
});

export const stgLinkedinComments = defineModel({
  name: 'stg_linkedin__comments',
  layer: 'staging',
  sql: 'sql/staging/stg_linkedin__comments.sql',
  materialized: 'view',
  grain: 'comment',
  uniqueKey: ['comment_id'],
  tags: ['social', 'linkedin'],
  description: 'Comments and replies on the organization’s posts. Member URNs become pseudonymous keys (an organization author keeps its URN in organization_urn); e-mail addresses are masked in the text.',
  columns: {
    comment_id: col('VARCHAR', 'Numeric comment id.'),
    comment_urn: col('VARCHAR', 'urn:li:comment:(<activity>,<id>).'),
    post_urn: col('VARCHAR', 'Post the comment is on.'),
    parent_comment_urn: nullable('VARCHAR', 'Comment a reply answers.'),
    parent_comment_id: nullable('VARCHAR', 'Numeric id of the comment a reply answers.'),
    created_at: col('TIMESTAMPTZ', 'When it was written (UTC).'),
    text: col('VARCHAR', 'Comment text, e-mail addresses masked.'),
    author_key: col('VARCHAR', 'pseudonym(actor URN).'),
    organization_urn: nullable('VARCHAR', 'The actor when it is an organization (the page’s own comments); NULL for members.'),
    like_count: col('BIGINT', 'Likes of the comment.'),
  },
});

/** The LinkedIn staging models. */
export const LINKEDIN_STAGING_MODELS = [stgLinkedinShareStatisticsDaily, stgLinkedinFollowerStatisticsDaily, stgLinkedinPosts, stgLinkedinPostStatistics, stgLinkedinComments] as const;
