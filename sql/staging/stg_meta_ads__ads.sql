-- stg_meta_ads__ads: one row per Meta ad (grain: ad; primary key: ad_id).
-- The creative's landing link (object_story_spec.link_data.link) and the UTM parameters Meta
-- appends to it (creative.url_tags). Each utm_* is read from url_tags, else from the link's own
-- query. Meta's dynamic parameters are resolved where the ad row knows the value ({{ad.id}},
-- {{ad.name}}, {{adset.id}}, {{campaign.id}}); others ({{site_source_name}}, {{placement}}, …)
-- vary per impression, so the parameter is NULL and utm_*_is_dynamic says so.
with source as (
  select * from raw.meta_ads__ads
),

creatives as (
  select
    *,
    json_extract_string(creative, '$.id') as creative_id,
    nullif(trim(json_extract_string(creative, '$.url_tags')), '') as url_tags,
    coalesce(
      json_extract_string(creative, '$.object_story_spec.link_data.link'),
      json_extract_string(creative, '$.object_story_spec.video_data.call_to_action.value.link')
    ) as link_url
  from source
),

raw_parameters as (
  select
    *,
    coalesce(
      nullif(regexp_extract(url_tags, '(?i)(?:^|&)utm_source=([^&]*)', 1), ''),
      nullif(regexp_extract(link_url, '(?i)[?&]utm_source=([^&#]*)', 1), '')
    ) as raw_utm_source,
    coalesce(
      nullif(regexp_extract(url_tags, '(?i)(?:^|&)utm_medium=([^&]*)', 1), ''),
      nullif(regexp_extract(link_url, '(?i)[?&]utm_medium=([^&#]*)', 1), '')
    ) as raw_utm_medium,
    coalesce(
      nullif(regexp_extract(url_tags, '(?i)(?:^|&)utm_campaign=([^&]*)', 1), ''),
      nullif(regexp_extract(link_url, '(?i)[?&]utm_campaign=([^&#]*)', 1), '')
    ) as raw_utm_campaign,
    coalesce(
      nullif(regexp_extract(url_tags, '(?i)(?:^|&)utm_content=([^&]*)', 1), ''),
      nullif(regexp_extract(link_url, '(?i)[?&]utm_content=([^&#]*)', 1), '')
    ) as raw_utm_content,
    coalesce(
      nullif(regexp_extract(url_tags, '(?i)(?:^|&)utm_term=([^&]*)', 1), ''),
      nullif(regexp_extract(link_url, '(?i)[?&]utm_term=([^&#]*)', 1), '')
    ) as raw_utm_term
  from creatives
),

resolved as (
  select
    *,
    list_transform(
      [raw_utm_source, raw_utm_medium, raw_utm_campaign, raw_utm_content, raw_utm_term],
      v -> replace(replace(replace(replace(coalesce(try(url_decode(replace(v, '+', ' '))), v),
        '{{ad.id}}', id), '{{ad.name}}', name), '{{adset.id}}', adset_id), '{{campaign.id}}', campaign_id)
    ) as decoded
  from raw_parameters
),

renamed as (
  select
    id as ad_id,
    name as ad_name,
    adset_id,
    campaign_id,
    lower(status) as status,
    lower(effective_status) as effective_status,
    created_time as created_at,
    updated_time as updated_at,
    creative_id,
    url_tags,
    link_url,
    case when decoded[1] like '%{{%' then null else nullif(trim(decoded[1]), '') end as utm_source,
    case when decoded[2] like '%{{%' then null else nullif(trim(decoded[2]), '') end as utm_medium,
    case when decoded[3] like '%{{%' then null else nullif(trim(decoded[3]), '') end as utm_campaign,
    case when decoded[4] like '%{{%' then null else nullif(trim(decoded[4]), '') end as utm_content,
    case when decoded[5] like '%{{%' then null else nullif(trim(decoded[5]), '') end as utm_term,
    coalesce(decoded[1] like '%{{%', false) as utm_source_is_dynamic,
    coalesce(decoded[4] like '%{{%', false) as utm_content_is_dynamic
  from resolved
),

final as (
  select * from renamed
)

select * from final
