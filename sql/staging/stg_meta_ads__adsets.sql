-- stg_meta_ads__adsets: one row per Meta ad set (grain: ad set; primary key: adset_id).
with source as (
  select * from raw.meta_ads__adsets
),

renamed as (
  select
    id as adset_id,
    name as adset_name,
    campaign_id,
    lower(status) as status,
    lower(effective_status) as effective_status,
    created_time as created_at,
    updated_time as updated_at
  from source
),

final as (
  select * from renamed
)

select * from final
