-- int_social_texts: every social text (comment, reply, mention, direct message) of the five
-- platforms in one shape, people as pseudonymous keys. Ids read '<source>:<object>:<platform id>'
-- with object comment, message, media (Instagram tags) or tweet (X), so a reply's parent_text_id
-- is built from the parent's platform id alone. kind: comment = on a post (X: answering the brand's
-- post), reply = answering a comment or reply, mention = naming the brand elsewhere, message = DM.
-- grain: text; primary key: text_id
with

facebook_comments as (
    select * from staging.stg_facebook__post_comments
),

facebook_messages as (
    select * from staging.stg_facebook__conversation_messages
),

facebook_posts as (
    select * from staging.stg_facebook__posts
),

facebook_insights as (
    select * from staging.stg_facebook__page_insights
),

instagram_comments as (
    select * from staging.stg_instagram__media_comments
),

instagram_tags as (
    select * from staging.stg_instagram__tags
),

instagram_insights as (
    select * from staging.stg_instagram__account_insights
),

instagram_snapshots as (
    select * from staging.stg_instagram__account_snapshots
),

x_replies as (
    select * from staging.stg_x__replies
),

x_mentions as (
    select * from staging.stg_x__mentions
),

x_tweets as (
    select * from staging.stg_x__tweets
),

x_mention_counts as (
    select * from staging.stg_x__mention_counts
),

linkedin_comments as (
    select * from staging.stg_linkedin__comments
),

linkedin_posts as (
    select * from staging.stg_linkedin__posts
),

youtube_comments as (
    select * from staging.stg_youtube__comments
),

own_brand as (
    -- the label of the brand in share-of-voice marts: its X label when X is configured, else 'brand'
    select coalesce(max(brand_label) filter (where user_id in (select account_id from x_tweets)), 'brand') as label
    from x_mention_counts
),

own_keys as (
    -- pseudonyms of the brand's own accounts, to tell its own texts apart
    select 'facebook' as platform, pseudonym(page_id) as author_key from facebook_posts
    union
    select 'facebook', pseudonym(page_id) from facebook_insights
    union
    select 'instagram', pseudonym(account_id) from instagram_insights
    union
    select 'instagram', pseudonym(account_id) from instagram_snapshots where is_own_account
    union
    select 'instagram', pseudonym(username) from instagram_snapshots where is_own_account
    union
    select 'x', pseudonym(account_id) from x_tweets
),

facebook_comment_texts as (
    select
        'facebook:comment:' || comment_id as text_id,
        'facebook' as source,
        case when parent_comment_id is null then 'comment' else 'reply' end as kind,
        created_at,
        text,
        cast(null as varchar) as lang,
        author_key,
        is_from_page as is_brand,
        post_id as thread_id,
        'facebook:comment:' || parent_comment_id as parent_text_id,
        cast(null as varchar) as mentioned_brand
    from facebook_comments
),

facebook_message_texts as (
    select
        'facebook:message:' || message_id as text_id,
        'facebook' as source,
        'message' as kind,
        created_at,
        text,
        cast(null as varchar) as lang,
        sender_key as author_key,
        sender_key in (select author_key from own_keys where platform = 'facebook') as is_brand,
        conversation_id as thread_id,
        cast(null as varchar) as parent_text_id,
        cast(null as varchar) as mentioned_brand
    from facebook_messages
),

instagram_comment_texts as (
    select
        'instagram:comment:' || comment_id as text_id,
        'instagram' as source,
        case when parent_comment_id is null then 'comment' else 'reply' end as kind,
        created_at,
        text,
        cast(null as varchar) as lang,
        author_key,
        author_key in (select author_key from own_keys where platform = 'instagram')
            or author_username_key in (select author_key from own_keys where platform = 'instagram') as is_brand,
        media_id as thread_id,
        'instagram:comment:' || parent_comment_id as parent_text_id,
        cast(null as varchar) as mentioned_brand
    from instagram_comments
),

instagram_tag_texts as (
    -- media others tagged the brand in: mentions of the brand
    select
        'instagram:media:' || media_id as text_id,
        'instagram' as source,
        'mention' as kind,
        created_at,
        text,
        cast(null as varchar) as lang,
        author_key,
        false as is_brand,
        media_id as thread_id,
        cast(null as varchar) as parent_text_id,
        (select label from own_brand) as mentioned_brand
    from instagram_tags
),

x_conversation_tweets as (
    -- replies appear in both streams (X prefixes them with @brand): one row per tweet, the reply stream first
    select *, 1 as stream_rank, true as from_replies from x_replies
    union all
    select *, 2 as stream_rank, false as from_replies from x_mentions
),

x_tweets_deduplicated as (
    select *
    from x_conversation_tweets
    qualify row_number() over (partition by tweet_id order by stream_rank) = 1
),

x_classified as (
    select
        *,
        -- answering the brand's post itself (one still listed, or a deleted one: a reply to the root by the brand)
        replied_to_tweet_id in (select tweet_id from x_tweets)
            or (replied_to_tweet_id = conversation_id and in_reply_to_user_key in (select author_key from own_keys where platform = 'x'))
            as answers_brand_post,
        from_replies or conversation_id in (select tweet_id from x_tweets) as in_brand_conversation
    from x_tweets_deduplicated
),

x_texts as (
    select
        'x:tweet:' || tweet_id as text_id,
        'x' as source,
        -- a comment answers the brand's post, a reply answers another reply under it; anything else mentions the brand
        case
            when coalesce(answers_brand_post, false) then 'comment'
            when in_brand_conversation then 'reply'
            else 'mention'
        end as kind,
        created_at,
        text,
        lang,
        author_key,
        author_key in (select author_key from own_keys where platform = 'x') as is_brand,
        conversation_id as thread_id,
        -- the brand's post is the thread, not a text
        case when not coalesce(answers_brand_post, false) then 'x:tweet:' || replied_to_tweet_id end as parent_text_id,
        case
            when not coalesce(answers_brand_post, false) and not in_brand_conversation then (select label from own_brand)
        end as mentioned_brand
    from x_classified
),

linkedin_texts as (
    select
        'linkedin:comment:' || comment_id as text_id,
        'linkedin' as source,
        case when parent_comment_id is null then 'comment' else 'reply' end as kind,
        created_at,
        text,
        cast(null as varchar) as lang,
        author_key,
        coalesce(organization_urn in (select organization_urn from linkedin_posts), false) as is_brand,
        post_urn as thread_id,
        'linkedin:comment:' || parent_comment_id as parent_text_id,
        cast(null as varchar) as mentioned_brand
    from linkedin_comments
),

youtube_texts as (
    select
        'youtube:comment:' || comment_id as text_id,
        'youtube' as source,
        case when parent_comment_id is null then 'comment' else 'reply' end as kind,
        created_at,
        text,
        cast(null as varchar) as lang,
        author_key,
        is_from_channel as is_brand,
        video_id as thread_id,
        'youtube:comment:' || parent_comment_id as parent_text_id,
        cast(null as varchar) as mentioned_brand
    from youtube_comments
),

unioned as (
    select * from facebook_comment_texts
    union all by name
    select * from facebook_message_texts
    union all by name
    select * from instagram_comment_texts
    union all by name
    select * from instagram_tag_texts
    union all by name
    select * from x_texts
    union all by name
    select * from linkedin_texts
    union all by name
    select * from youtube_texts
),

final as (
    select
        text_id,
        source,
        source as platform,
        kind,
        created_at,
        text,
        lang,
        author_key,
        coalesce(is_brand, false) as is_brand,
        thread_id,
        parent_text_id,
        mentioned_brand
    from unioned
)

select * from final
