-- fct_ab_tests: one row per A/B test × variant (grain: test variant; primary key: test_id, variant).
-- Input rows for the TypeScript statistics (models/marts/commerce/ab-stats.ts): per variant of
-- staging.stg_ab_test_variants, the sessions of the test's campaign (campaign_key LIKE the test's
-- campaign_key_pattern) whose lower-cased utm_content is the variant's, their converting sessions,
-- and the control variant's counts beside them.
-- Computed in TypeScript: conversion_rate = conversions / sessions with its 95% Wilson score
-- interval (ci_low, ci_high); lift = (rate − control rate) / control rate; p_value of the pooled
-- two-proportion z-test against the control (two-sided); enough_sample = every variant of the test
-- has ≥ 100 sessions and ≥ 10 conversions; is_significant = enough_sample and p_value < 0.05.
with variants as (
  select * from staging.stg_ab_test_variants
),

sessions as (
  select * from intermediate.int_sessions
),

variant_counts as (
  select
    variants.test_id,
    variants.test_name,
    variants.variant,
    variants.utm_content,
    variants.is_control,
    count(sessions.session_id) as sessions,
    count(sessions.session_id) filter (where sessions.converted) as conversions,
    min(sessions.session_date)::varchar as first_session_date,
    max(sessions.session_date)::varchar as last_session_date
  from variants
  left join sessions
    on sessions.content = variants.utm_content
    and sessions.campaign_key like variants.campaign_key_pattern
  group by all
),

final as (
  select
    variant_counts.*,
    max(sessions) filter (where is_control) over (partition by test_id) as control_sessions,
    max(conversions) filter (where is_control) over (partition by test_id) as control_conversions,
    min(sessions) over (partition by test_id) as min_variant_sessions,
    min(conversions) over (partition by test_id) as min_variant_conversions
  from variant_counts
)

select * from final
