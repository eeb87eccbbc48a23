-- stg_surveys__responses: NPS (0–10), CSAT (1–5) and CES (1–7) answers; the respondent as a
-- pseudonymous customer key (respondent_email stays in raw).
-- grain: response · primary key: response_id
with source as (
    select * from raw.surveys__responses
),

renamed as (
    select
        response_id,
        lower(survey) as survey_kind,
        score::bigint as score,
        responded_at,
        pseudonym(customer_id) as customer_key,
        nullif(trim(order_id), '') as order_id,
        nullif(trim(ticket_id), '') as ticket_id,
        nullif(trim(comment), '') as comment,
        nullif(trim(lang), '') as lang
    from source
),

final as (
    select * from renamed
)

select * from final
