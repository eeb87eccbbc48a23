-- stg_influencers: one row per influencer engagement (grain: influencer; primary key: influencer_id).
-- A seed: the creators the brand pays, their public handle (a creator's public business account,
-- like the brand's own handles — not a private person), the utm_content their links carry
-- (lower-cased), the campaign they promote (campaign_key_pattern: a LIKE pattern over the
-- lower-cased utm_campaign, so it survives the yearly spelling), their fee and its currency, and
-- the post date when known (NULL: the fee is booked on the day of their first visit).
-- Values are the sample world's influencers (world.influencers) with their fees at scale 1
-- (the sample world scales fees with its scale knob).
with seed as (
  select * from (values
    ('inf_alpine_ava', 'alpine.ava', 'instagram', 240000, 'alpine.ava', 'holiday_gift_guide_%', 325.00, 'USD', null),
    ('inf_campwithkeisha', 'campwithkeisha', 'instagram', 95000, 'campwithkeisha', 'valentines_adventure_%', 140.00, 'USD', null),
    ('inf_peakbaggerpaul', 'peakbaggerpaul', 'youtube', 410000, 'peakbaggerpaul', 'trail_season_%', 450.00, 'USD', null),
    ('inf_trailrunner_marco', 'trailrunner_marco', 'instagram', 120000, 'trailrunner_marco', 'trail_season_%', 175.00, 'USD', null),
    ('inf_nordic_nina', 'nordic.nina', 'instagram', 60000, 'nordic.nina', 'fall_preview_%', 95.00, 'USD', null)
  ) as t(influencer_id, handle, platform, followers, utm_content, campaign_key_pattern, cost, cost_currency, post_date)
),

final as (
  select
    influencer_id,
    handle,
    platform,
    cast(followers as bigint) as followers,
    lower(utm_content) as utm_content,
    lower(campaign_key_pattern) as campaign_key_pattern,
    cast(cost as decimal(18, 2)) as cost,
    upper(cost_currency) as cost_currency,
    cast(post_date as date) as post_date
  from seed
)

select * from final
