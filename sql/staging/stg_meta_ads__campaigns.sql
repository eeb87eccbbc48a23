-- stg_meta_ads__campaigns: one row per Meta campaign (grain: campaign; primary key: campaign_id).
-- daily_budget arrives in the account currency's minor units; daily_budget_amount is in major units.
with source as (
  select * from raw.meta_ads__campaigns
),

renamed as (
  select
    id as campaign_id,
    name as campaign_name,
    objective,
    lower(status) as status,
    lower(effective_status) as effective_status,
    cast(daily_budget / 100 as decimal(18, 2)) as daily_budget_amount,
    start_time as started_at,
    stop_time as stopped_at,
    created_time as created_at,
    updated_time as updated_at
  from source
),

final as (
  select * from renamed
)

select * from final
