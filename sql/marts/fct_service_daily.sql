-- fct_service_daily: customer service per day and channel. A conversation is a Zendesk ticket
-- (channel = how it arrived) or a social thread a customer wrote in (channel = the platform);
-- it counts on the day (reporting time zone) of its first customer message.
-- grain: day × source × channel · primary key: (day, source, channel)
with tickets as (
    select * from staging.stg_zendesk__tickets
),

ticket_comments as (
    select * from staging.stg_zendesk__ticket_comments
),

ticket_metrics as (
    select * from staging.stg_zendesk__ticket_metrics
),

zendesk_users as (
    select * from staging.stg_zendesk__users
),

satisfaction_ratings as (
    select * from staging.stg_zendesk__satisfaction_ratings
),

survey_responses as (
    select * from staging.stg_surveys__responses
),

social_texts as (
    select * from intermediate.int_social_texts
),

brand_daily as (
    select * from intermediate.int_brand_daily
),

feedback as (
    select * from marts.fct_feedback
),

-- Zendesk tickets ------------------------------------------------------------------------------

agent_replies as (
    select ticket_comments.ticket_id, ticket_comments.created_at
    from ticket_comments
    inner join zendesk_users on zendesk_users.user_key = ticket_comments.author_key
    where zendesk_users.is_agent and ticket_comments.is_public
),

ticket_replies as (
    select
        tickets.ticket_id,
        min(agent_replies.created_at) as first_reply_at,
        count(agent_replies.created_at) as brand_replies
    from tickets
    left join agent_replies
        on agent_replies.ticket_id = tickets.ticket_id
        and agent_replies.created_at >= tickets.created_at
    group by tickets.ticket_id
),

ticket_ratings as (
    select
        ticket_id,
        count(*) filter (where score in ('good', 'bad')) as ratings,
        count(*) filter (where score = 'good') as satisfied
    from satisfaction_ratings
    group by ticket_id
),

-- CSAT surveys sent after a ticket count for that ticket beside Zendesk's own good/bad rating.
ticket_csat_surveys as (
    select
        ticket_id,
        count(*) as ratings,
        count(*) filter (where score >= 4) as satisfied
    from survey_responses
    where survey_kind = 'csat' and ticket_id is not null
    group by ticket_id
),

ticket_complaints as (
    select thread_id, bool_or(is_complaint) as is_complaint
    from feedback
    where kind = 'ticket_comment'
    group by thread_id
),

ticket_conversations as (
    select
        report_date(tickets.created_at) as day,
        'zendesk' as source,
        tickets.channel,
        (epoch(ticket_replies.first_reply_at) - epoch(tickets.created_at)) / 60 as first_response_minutes,
        tickets.is_resolved,
        case when tickets.is_resolved then (epoch(ticket_metrics.solved_at) - epoch(tickets.created_at)) / 60 end as resolution_minutes,
        ticket_replies.brand_replies,
        coalesce(ticket_ratings.ratings, 0) + coalesce(ticket_csat_surveys.ratings, 0) as csat_ratings,
        coalesce(ticket_ratings.satisfied, 0) + coalesce(ticket_csat_surveys.satisfied, 0) as csat_satisfied,
        coalesce(ticket_complaints.is_complaint, false) as is_complaint,
        -- a complaint ticket is handled when it is resolved
        tickets.is_resolved as is_handled
    from tickets
    inner join ticket_replies on ticket_replies.ticket_id = tickets.ticket_id
    left join ticket_metrics on ticket_metrics.ticket_id = tickets.ticket_id
    left join ticket_ratings on ticket_ratings.ticket_id = tickets.ticket_id
    left join ticket_csat_surveys on ticket_csat_surveys.ticket_id = tickets.ticket_id
    left join ticket_complaints on ticket_complaints.thread_id = 'zendesk:ticket:' || tickets.ticket_id
    where tickets.status <> 'deleted'
),

-- Social threads -------------------------------------------------------------------------------

own_brands as (
    select distinct brand from brand_daily where is_own_brand
),

-- A text without a thread is its own conversation; a brand reply without one joins its parent's.
thread_texts as (
    select
        *,
        case
            when thread_id is not null then thread_id
            when is_brand then coalesce(parent_text_id, text_id)
            else text_id
        end as conversation_id
    from social_texts
    -- mentions of competitors are not conversations with the brand
    where mentioned_brand is null
        or mentioned_brand in (select brand from own_brands)
),

first_customer_texts as (
    select platform, conversation_id, min(created_at) as first_customer_at
    from thread_texts
    where not is_brand
    group by platform, conversation_id
),

thread_replies as (
    select
        first_customer_texts.platform,
        first_customer_texts.conversation_id,
        first_customer_texts.first_customer_at,
        min(brand_texts.created_at) as first_reply_at,
        count(brand_texts.text_id) as brand_replies
    from first_customer_texts
    left join thread_texts as brand_texts
        on brand_texts.platform = first_customer_texts.platform
        and brand_texts.conversation_id = first_customer_texts.conversation_id
        and brand_texts.is_brand
        and brand_texts.created_at > first_customer_texts.first_customer_at
    group by first_customer_texts.platform, first_customer_texts.conversation_id, first_customer_texts.first_customer_at
),

thread_complaints as (
    select thread_texts.platform, thread_texts.conversation_id, bool_or(feedback.is_complaint) as is_complaint
    from thread_texts
    inner join feedback on feedback.text_id = thread_texts.text_id
    group by thread_texts.platform, thread_texts.conversation_id
),

social_conversations as (
    select
        report_date(thread_replies.first_customer_at) as day,
        'social' as source,
        thread_replies.platform as channel,
        (epoch(thread_replies.first_reply_at) - epoch(thread_replies.first_customer_at)) / 60 as first_response_minutes,
        -- social threads have no resolution status
        null::boolean as is_resolved,
        null::double as resolution_minutes,
        thread_replies.brand_replies,
        null::bigint as csat_ratings,
        null::bigint as csat_satisfied,
        coalesce(thread_complaints.is_complaint, false) as is_complaint,
        -- a complaint thread is handled when the brand replied
        thread_replies.first_reply_at is not null as is_handled
    from thread_replies
    left join thread_complaints
        on thread_complaints.platform = thread_replies.platform
        and thread_complaints.conversation_id = thread_replies.conversation_id
),

-- Per day and channel --------------------------------------------------------------------------

conversations as (
    select * from ticket_conversations
    union all by name
    select * from social_conversations
),

final as (
    select
        day,
        source,
        channel,
        count(*) as conversations,
        count(first_response_minutes) as replied,
        count(first_response_minutes) / count(*) as response_rate,
        avg(first_response_minutes) as first_response_minutes_mean,
        quantile_cont(first_response_minutes, 0.5) as first_response_minutes_median,
        quantile_cont(first_response_minutes, 0.9) as first_response_minutes_p90,
        max(first_response_minutes) as first_response_minutes_max,
        sum(case when is_resolved then 1 when not is_resolved then 0 end)::bigint as resolved,
        avg(resolution_minutes) as resolution_minutes_mean,
        quantile_cont(resolution_minutes, 0.5) as resolution_minutes_median,
        count(*) filter (where is_resolved and brand_replies = 1)
            / nullif(count(*) filter (where is_resolved), 0) as fcr_rate,
        sum(csat_ratings)::bigint as csat_ratings,
        sum(csat_satisfied) / nullif(sum(csat_ratings), 0) as csat,
        count(*) filter (where is_complaint) as complaints,
        count(*) filter (where is_complaint and is_handled)
            / nullif(count(*) filter (where is_complaint), 0) as complaint_resolution_rate
    from conversations
    group by day, source, channel
)

select * from final
