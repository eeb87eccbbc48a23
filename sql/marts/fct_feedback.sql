-- fct_feedback: the customer texts to score. The rows are computed in TypeScript
-- (models/marts/feedback/fct_feedback.ts: sentiment score and label, language, themes, complaint)
-- from what this query selects; the brand's own texts are not feedback and are left out.
-- grain: text · primary key: text_id
with feedback_texts as (
    select * from intermediate.int_feedback_texts
),

customer_texts as (
    select
        text_id,
        source,
        kind,
        platform,
        channel,
        created_at,
        -- as text, so the compute step hands the calendar day back unchanged
        report_date(created_at)::varchar as day,
        text,
        lang,
        author_key,
        thread_id,
        mentioned_brand,
        is_brand
    from feedback_texts
    where not is_brand
        and nullif(trim(text), '') is not null
),

final as (
    select * from customer_texts
)

select * from final
