-- fct_survey_daily: survey answers per day (reporting time zone) and survey kind, with the
-- kind's headline score: NPS for nps, CSAT for csat, CES for ces (NULL for the other kinds).
-- grain: day × survey · primary key: (day, survey)
with survey_responses as (
    select * from staging.stg_surveys__responses
),

daily_counts as (
    select
        report_date(responded_at) as day,
        survey_kind as survey,
        count(*) as responses,
        count(comment) as comments,
        count(*) filter (where score >= 9) as nps_promoters,
        count(*) filter (where score between 7 and 8) as nps_passives,
        count(*) filter (where score <= 6) as nps_detractors,
        count(*) filter (where score >= 4) as csat_satisfied,
        avg(score) as mean_score
    from survey_responses
    group by report_date(responded_at), survey_kind
),

final as (
    select
        day,
        survey,
        responses,
        comments,
        case when survey = 'nps' then nps_promoters end as promoters,
        case when survey = 'nps' then nps_passives end as passives,
        case when survey = 'nps' then nps_detractors end as detractors,
        -- NPS on its usual −100..100 scale: % promoters − % detractors
        case when survey = 'nps' then 100.0 * (nps_promoters - nps_detractors) / responses end::double as nps,
        -- CSAT as a share 0..1, as in fct_service_daily
        case when survey = 'csat' then csat_satisfied / responses end as csat,
        case when survey = 'ces' then mean_score end as ces
    from daily_counts
)

select * from final
