/**
 * Seed models of the commerce area: small reference tables written as SQL VALUES lists (FX rates,
 * A/B test variants, paid influencers), so they are versioned with the SQL and readable by analysts.
 */
import { defineModel } from '../../engine/index.ts';

export const stgFxRates = defineModel({
  name: 'stg_fx_rates',
  layer: 'staging',
  sql: 'sql/staging/stg_fx_rates.sql',
  materialized: 'view',
  grain: 'month × currency pair',
  uniqueKey: ['rate_month', 'base_currency', 'quote_currency'],
  tags: ['commerce', 'seed'],
  description:
    'Monthly FX rates (seed): rate = units of quote_currency per one base_currency; approximate monthly averages of the ECB EUR/USD reference rate and their inverses. ' +
    'Amounts are converted with the latest month on or before their day (the last month carries forward).',
  columns: {
    rate_month: { type: 'DATE', description: 'First day of the month the rate applies from.' },
    base_currency: { type: 'VARCHAR', description: 'Currency converted from.' },
    quote_currency: { type: 'VARCHAR', description: 'Currency converted to.' },
    rate: { type: 'DOUBLE', description: 'quote_currency per one base_currency.' },
    is_inverse: { type: 'BOOLEAN', description: 'Derived as 1 / the seeded rate of the opposite pair.' },
  },
  tests: [{ kind: 'expression', expression: 'rate > 0' }],
});

export const stgAbTestVariants = defineModel({
  name: 'stg_ab_test_variants',
  layer: 'staging',
  sql: 'sql/staging/stg_ab_test_variants.sql',
  materialized: 'view',
  grain: 'A/B test × variant',
  uniqueKey: ['test_id', 'variant'],
  tags: ['commerce', 'seed'],
  description: 'A/B test arms (seed): the campaign (LIKE pattern over the lower-cased utm_campaign) and landing variant (utm_content) of each arm, and which arm is the control.',
  columns: {
    test_id: { type: 'VARCHAR', description: 'Test id.' },
    test_name: { type: 'VARCHAR', description: 'Test name.' },
    campaign_key_pattern: { type: 'VARCHAR', description: 'LIKE pattern over the lower-cased utm_campaign (e.g. spring_sale_%).' },
    variant: { type: 'VARCHAR', description: 'Variant name (A, B, …).' },
    utm_content: { type: 'VARCHAR', description: 'utm_content of the variant\'s links, lower-case.' },
    is_control: { type: 'BOOLEAN', description: 'The arm other variants are compared with.' },
  },
});

export const stgInfluencers = defineModel({
  name: 'stg_influencers',
  layer: 'staging',
  sql: 'sql/staging/stg_influencers.sql',
  materialized: 'view',
  grain: 'influencer',
  uniqueKey: ['influencer_id'],
  tags: ['commerce', 'seed'],
  description:
    'Paid influencers (seed): public creator handle, platform, followers, the utm_content of their links, the campaign they promote (LIKE pattern over the lower-cased utm_campaign), ' +
    'their fee and currency, and the post date when known.',
  columns: {
    influencer_id: { type: 'VARCHAR', description: 'Influencer id.' },
    handle: { type: 'VARCHAR', description: 'Public creator handle (a business account, not a private person).' },
    platform: { type: 'VARCHAR', description: 'Platform they post on.' },
    followers: { type: 'BIGINT', description: 'Followers when contracted.' },
    utm_content: { type: 'VARCHAR', description: 'utm_content of their links, lower-case.' },
    campaign_key_pattern: { type: 'VARCHAR', description: 'LIKE pattern over the lower-cased utm_campaign.', nullable: true },
    cost: { type: 'DECIMAL(18,2)', description: 'Fee for the campaign.' },
    cost_currency: { type: 'VARCHAR', description: 'Currency of the fee.' },
    post_date: { type: 'DATE', description: 'Day they posted, when known (else the fee is booked on their first visit day).', nullable: true },
  },
  tests: [{ kind: 'expression', expression: 'cost >= 0' }],
});
