-- stg_web_events__events: one row per web event (grain: event; primary key: event_id).
-- Unions the NDJSON (raw.web_events__events) and CSV (raw.web_events__events_csv) exports of the
-- same event stream and keeps one row per event_id (NDJSON first, then the latest load), because
-- the CSV export repeats events the NDJSON export already carries.
-- People become keys: anonymous_id → anonymous_key, customer_id → customer_key (pseudonym()).
-- URL parts come from DuckDB string functions: host and path of page_url and referrer, and the
-- query parameters utm_source, utm_medium, utm_campaign, utm_content, utm_term, gclid, fbclid
-- (parameter names matched case-insensitively, values URL-decoded with '+' read as a space,
-- kept as sent — lower-casing happens in int_sessions; an empty value is NULL).
-- An incremental build reads only the events of its lookback window (pulse_window_start(): the
-- window's start, -infinity in a full build), so DuckDB skips older events at the scan instead of
-- de-duplicating the whole history; the copies of an event in the two exports carry its timestamp.
with events_ndjson as (
  select *, 1 as source_priority, 'ndjson' as export_format from raw.web_events__events
  where event_timestamp >= pulse_window_start()
),

events_csv as (
  select *, 2 as source_priority, 'csv' as export_format from raw.web_events__events_csv
  where event_timestamp >= pulse_window_start()
),

unioned as (
  select * from events_ndjson
  union all by name
  select * from events_csv
),

deduplicated as (
  select *
  from unioned
  qualify row_number() over (partition by event_id order by source_priority, _loaded_at desc) = 1
),

url_parts as (
  select
    *,
    -- Most pages carry no query string: skipping the parameter regexes for them saves a fifth of this model's work.
    case when contains(page_url, '?') then nullif(regexp_extract(page_url, '\?([^#]*)', 1), '') end as page_query
  from deduplicated
),

renamed as (
  select
    event_id,
    lower(event_name) as event_name,
    event_timestamp as event_at,
    report_date(event_timestamp) as event_date,
    pseudonym(anonymous_id) as anonymous_key,
    pseudonym(customer_id) as customer_key,
    nullif(trim(page_url), '') as page_url,
    nullif(lower(regexp_extract(page_url, '^[A-Za-z][A-Za-z0-9+.-]*://([^/?#:]+)', 1)), '') as url_host,
    coalesce(nullif(regexp_extract(page_url, '^(?:[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*)?([^?#]*)', 1), ''), '/') as url_path,
    nullif(trim(coalesce(try(url_decode(replace(regexp_extract(page_query, '(?i)(?:^|&)utm_source=([^&]*)', 1), '+', ' '))), '')), '') as utm_source,
    nullif(trim(coalesce(try(url_decode(replace(regexp_extract(page_query, '(?i)(?:^|&)utm_medium=([^&]*)', 1), '+', ' '))), '')), '') as utm_medium,
    nullif(trim(coalesce(try(url_decode(replace(regexp_extract(page_query, '(?i)(?:^|&)utm_campaign=([^&]*)', 1), '+', ' '))), '')), '') as utm_campaign,
    nullif(trim(coalesce(try(url_decode(replace(regexp_extract(page_query, '(?i)(?:^|&)utm_content=([^&]*)', 1), '+', ' '))), '')), '') as utm_content,
    nullif(trim(coalesce(try(url_decode(replace(regexp_extract(page_query, '(?i)(?:^|&)utm_term=([^&]*)', 1), '+', ' '))), '')), '') as utm_term,
    nullif(regexp_extract(page_query, '(?i)(?:^|&)gclid=([^&]*)', 1), '') as gclid,
    nullif(regexp_extract(page_query, '(?i)(?:^|&)fbclid=([^&]*)', 1), '') as fbclid,
    nullif(trim(referrer), '') as referrer,
    nullif(lower(regexp_extract(referrer, '^[A-Za-z][A-Za-z0-9+.-]*://([^/?#:]+)', 1)), '') as referrer_host,
    nullif(trim(order_id), '') as order_id,
    cast(value as decimal(18, 2)) as event_value,
    nullif(upper(trim(currency)), '') as currency,
    export_format
  from url_parts
),

final as (
  select * from renamed
)

select * from final
