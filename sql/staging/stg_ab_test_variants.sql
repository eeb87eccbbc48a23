-- stg_ab_test_variants: one row per A/B test × variant (grain: test variant; primary key: test_id,
-- variant). A seed: which landing variant (utm_content) of which campaign is which arm, and
-- which arm is the control. campaign_key_pattern is a LIKE pattern over the lower-cased
-- utm_campaign, so one definition covers the yearly spelling (spring_sale_2026, spring_sale_2027).
-- The sample world's test (world.abTests): the Spring Sale landing page, A = landing_a (control),
-- B = landing_b.
with seed as (
  select * from (values
    ('ab_spring_sale_landing', 'Spring Sale landing page', 'spring_sale_%', 'A', 'landing_a', true),
    ('ab_spring_sale_landing', 'Spring Sale landing page', 'spring_sale_%', 'B', 'landing_b', false)
  ) as t(test_id, test_name, campaign_key_pattern, variant, utm_content, is_control)
),

final as (
  select
    test_id,
    test_name,
    lower(campaign_key_pattern) as campaign_key_pattern,
    variant,
    lower(utm_content) as utm_content,
    is_control
  from seed
)

select * from final
