-- stg_facebook__post_comments: comments and replies on the Page's posts. Authors become
-- pseudonymous keys; the names Graph gives of the people commenting on a post (the Page's replies
-- address them by first name) and e-mail addresses are masked in the text.
-- grain: comment or reply; primary key: comment_id
with

source as (
    select * from raw.facebook__post_comments
    -- an incremental build reads only the groups being rebuilt (every row in a full build)
    where pulse_in_increment(post_id)
),

latest as (
    select *
    from source
    qualify row_number() over (partition by id order by _loaded_at desc) = 1
),

renamed as (
    select
        id as comment_id,
        post_id,
        split_part(post_id, '_', 1) as page_id,
        json_extract_string(parent, '$.id') as parent_comment_id,
        created_time as created_at,
        message as raw_text,
        json_extract_string("from", '$.id') as author_id,
        json_extract_string("from", '$.name') as author_name,
        like_count,
        comment_count,
        is_hidden
    from latest
),

post_names as (
    -- one pattern per post: the names of everyone but the Page commenting on it
    select
        post_id,
        name_pattern(list(author_name)) as name_pattern
    from renamed
    where author_id is distinct from page_id
    group by post_id
),

masked as (
    select
        renamed.*,
        post_names.name_pattern,
        coalesce(contains(post_names.name_pattern, chr(31)), false)
            or bool_or(contains(raw_text, chr(31))) over (partition by post_id) as mask_one_by_one,
        regexp_replace(raw_text, '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}', '[email]', 'g') as text_without_emails
    from renamed
    left join post_names using (post_id)
),

masked_by_post as (
    -- DuckDB compiles a pattern that is not a constant for every row: joining a post's comments
    -- with a unit separator compiles it once per post (the separator is a non-letter, like the
    -- start and end of each text); a post whose texts or names hold the separator is masked
    -- comment by comment instead
    select
        unnest(list(comment_id order by comment_id)) as comment_id,
        unnest(string_split(mask_names(string_agg(coalesce(text_without_emails, ''), chr(31) order by comment_id), name_pattern), chr(31))) as masked_text
    from masked
    where name_pattern is not null and not mask_one_by_one
    group by post_id, name_pattern
),

final as (
    select
        comment_id,
        post_id,
        page_id,
        parent_comment_id,
        created_at,
        case
            when text_without_emails is null or name_pattern is null then text_without_emails
            when mask_one_by_one then mask_names(text_without_emails, name_pattern)
            else masked_by_post.masked_text
        end as text,
        pseudonym(author_id) as author_key,
        coalesce(author_id = page_id, false) as is_from_page,
        coalesce(like_count, 0) as like_count,
        coalesce(comment_count, 0) as reply_count,
        coalesce(is_hidden, false) as is_hidden
    from masked
    left join masked_by_post using (comment_id)
)

select * from final
