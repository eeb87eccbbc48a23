-- int_feedback_texts: every text a customer or the brand wrote, in one shape: social comments,
-- replies, mentions and messages (int_social_texts), public Zendesk ticket comments by
-- end-users, survey answers with a comment, and product reviews.
-- grain: text · primary key: text_id
with social_texts as (
    select * from intermediate.int_social_texts
),

ticket_comments as (
    select * from staging.stg_zendesk__ticket_comments
),

zendesk_users as (
    select * from staging.stg_zendesk__users
),

survey_responses as (
    select * from staging.stg_surveys__responses
),

reviews as (
    select * from staging.stg_surveys__reviews
),

social as (
    select
        text_id,
        source,
        platform,
        platform as channel,
        kind,
        created_at,
        text,
        lang,
        author_key,
        is_brand,
        thread_id,
        parent_text_id,
        mentioned_brand
    from social_texts
),

-- Ticket comments are written like emails: a greeting line ("Hi Northwind team,") and the
-- writer's name as the last short paragraph. Neither is feedback, and the name is personal, so
-- both are cut before scoring and theme extraction.
cleaned_ticket_comments as (
    select
        *,
        regexp_replace(
            regexp_replace(body, '^\s*(hi|hello|hey|dear|hola|bonjour|hallo|ciao|olá|oi|hoi)\b[^\n]*\n+', '', 'i'),
            '\n\s*\n\s*[^\s.!?]+(\s+[^\s.!?]+){0,2}\s*$', ''
        ) as feedback_text
    from ticket_comments
),

-- Only end-users' public comments: agents' replies are the brand, internal notes are not feedback.
-- An author missing from the users stream cannot be told apart from an agent, so is left out.
end_user_ticket_comments as (
    select
        'zendesk:comment:' || ticket_comments.comment_id as text_id,
        'zendesk' as source,
        'zendesk' as platform,
        'zendesk' as channel,
        'ticket_comment' as kind,
        ticket_comments.created_at,
        trim(ticket_comments.feedback_text) as text,
        null::varchar as lang,
        coalesce(zendesk_users.customer_key, zendesk_users.user_key) as author_key,
        false as is_brand,
        'zendesk:ticket:' || ticket_comments.ticket_id as thread_id,
        null::varchar as parent_text_id,
        null::varchar as mentioned_brand
    from cleaned_ticket_comments as ticket_comments
    inner join zendesk_users
        on zendesk_users.user_key = ticket_comments.author_key
    where ticket_comments.is_public
        and zendesk_users.role = 'end-user'
        and nullif(trim(ticket_comments.feedback_text), '') is not null
),

survey_answers as (
    select
        'survey:' || response_id as text_id,
        'surveys' as source,
        'survey' as platform,
        'survey' as channel,
        'survey_answer' as kind,
        responded_at as created_at,
        comment as text,
        lang,
        customer_key as author_key,
        false as is_brand,
        null::varchar as thread_id,
        null::varchar as parent_text_id,
        null::varchar as mentioned_brand
    from survey_responses
    where comment is not null
),

-- A review's title carries sentiment too ("Love it!"), so it is scored with the body.
product_reviews as (
    select
        'review:' || review_id as text_id,
        'surveys' as source,
        'shop' as platform,
        'shop' as channel,
        'review' as kind,
        created_at,
        concat_ws(chr(10), title, body) as text,
        lang,
        customer_key as author_key,
        false as is_brand,
        null::varchar as thread_id,
        null::varchar as parent_text_id,
        null::varchar as mentioned_brand
    from reviews
    where coalesce(title, body) is not null
),

final as (
    select * from social
    union all by name
    select * from end_user_ticket_comments
    union all by name
    select * from survey_answers
    union all by name
    select * from product_reviews
)

select * from final
