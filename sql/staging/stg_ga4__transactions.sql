-- stg_ga4__transactions: one row per GA4 property day × transaction × session source/medium/campaign
-- (grain: report row; primary key: report_date, transaction_id, session_source, session_medium,
-- session_campaign_name).
-- dimensionValues[i] is TRANSACTION_DIMENSIONS[i], metricValues[i] is TRANSACTION_METRICS[i]
-- (connectors/ga4/schema.ts; the select list below is ga4SelectList(TRANSACTION_DIMENSIONS,
-- TRANSACTION_METRICS)). A purchase tag fired twice shows as transactions = 2 with doubled revenue,
-- as GA4 reports it. The qualify clause is GA4_LATEST_LOAD_FILTER.
with source as (
  select *
  from raw.ga4__transactions
  -- an incremental build reads only the report days being rebuilt (every day in a full build)
  where pulse_in_increment(report_date)
  qualify _run_id = arg_max(_run_id, _loaded_at) over (partition by report_date)
),

flattened as (
  select
    report_date,
    json_extract_string("dimensionValues", '$[0].value') as transaction_id,
    strptime(json_extract_string("dimensionValues", '$[1].value'), '%Y%m%d')::date as date,
    json_extract_string("dimensionValues", '$[2].value') as session_source,
    json_extract_string("dimensionValues", '$[3].value') as session_medium,
    json_extract_string("dimensionValues", '$[4].value') as session_campaign_name,
    try_cast(json_extract_string("metricValues", '$[0].value') as decimal(18, 2)) as purchase_revenue,
    try_cast(json_extract_string("metricValues", '$[1].value') as bigint) as transactions
  from source
),

final as (
  select
    report_date,
    transaction_id,
    date as transaction_date,
    session_source,
    session_medium,
    session_campaign_name,
    coalesce(purchase_revenue, 0) as purchase_revenue,
    coalesce(transactions, 0) as transactions
  from flattened
)

select * from final
