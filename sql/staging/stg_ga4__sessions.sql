-- stg_ga4__sessions: one row per GA4 property day × session source/medium/campaign/content/term
-- × landing page (grain: report row; primary key: report_date, session_source, session_medium,
-- session_campaign_name, session_manual_ad_content, session_manual_term, landing_page).
-- GA4 rows carry positional JSON arrays: dimensionValues[i] is SESSION_DIMENSIONS[i] and
-- metricValues[i] is SESSION_METRICS[i] (connectors/ga4/schema.ts; the select list below is
-- ga4SelectList(SESSION_DIMENSIONS, SESSION_METRICS) and a unit test keeps them in step).
-- The qualify clause is GA4_LATEST_LOAD_FILTER: per report_date, only the rows of the last load.
with source as (
  select *
  from raw.ga4__sessions
  -- an incremental build reads only the report days being rebuilt (every day in a full build)
  where pulse_in_increment(report_date)
  qualify _run_id = arg_max(_run_id, _loaded_at) over (partition by report_date)
),

flattened as (
  select
    report_date,
    strptime(json_extract_string("dimensionValues", '$[0].value'), '%Y%m%d')::date as date,
    json_extract_string("dimensionValues", '$[1].value') as session_source,
    json_extract_string("dimensionValues", '$[2].value') as session_medium,
    json_extract_string("dimensionValues", '$[3].value') as session_campaign_name,
    json_extract_string("dimensionValues", '$[4].value') as session_manual_ad_content,
    json_extract_string("dimensionValues", '$[5].value') as session_manual_term,
    json_extract_string("dimensionValues", '$[6].value') as landing_page,
    try_cast(json_extract_string("metricValues", '$[0].value') as bigint) as sessions,
    try_cast(json_extract_string("metricValues", '$[1].value') as bigint) as engaged_sessions,
    try_cast(json_extract_string("metricValues", '$[2].value') as double) as key_events,
    try_cast(json_extract_string("metricValues", '$[3].value') as decimal(18, 2)) as purchase_revenue
  from source
),

final as (
  select
    report_date,
    date as session_date,
    session_source,
    session_medium,
    session_campaign_name,
    session_manual_ad_content,
    session_manual_term,
    landing_page,
    coalesce(sessions, 0) as sessions,
    coalesce(engaged_sessions, 0) as engaged_sessions,
    coalesce(key_events, 0) as key_events,
    coalesce(purchase_revenue, 0) as purchase_revenue
  from flattened
)

select * from final
