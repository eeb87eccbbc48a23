-- stg_facebook__post_comments: comments and replies on the Page's posts. Authors become
-- pseudonymous keys; the names Graph gives of the people commenting on a post (the Page's replies
-- address them by first name) and e-mail addresses are masked in the text.
-- grain: comment or reply; primary key: comment_id
with

source as (
    select * from raw.facebook__post_comments
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

names_on_post as (
    -- words of the names of everyone but the Page commenting on the same post
    select
        *,
        list_distinct(list_filter(
            flatten(list(case when author_id is distinct from page_id then string_split(author_name, ' ') end) over (partition by post_id)),
            name_part -> length(name_part) >= 2
        )) as name_parts
    from renamed
),

masked as (
    select
        *,
        regexp_replace(raw_text, '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}', '[email]', 'g') as text_without_emails
    from names_on_post
),

final as (
    select
        comment_id,
        post_id,
        page_id,
        parent_comment_id,
        created_at,
        case
            when len(name_parts) = 0 then text_without_emails
            else regexp_replace(
                text_without_emails,
                '\b(' || array_to_string(list_transform(name_parts, name_part -> regexp_replace(name_part, '([.^$|()\[\]{}*+?\\])', '\\\1', 'g')), '|') || ')\b',
                '[name]',
                'g'
            )
        end as text,
        pseudonym(author_id) as author_key,
        coalesce(author_id = page_id, false) as is_from_page,
        coalesce(like_count, 0) as like_count,
        coalesce(comment_count, 0) as reply_count,
        coalesce(is_hidden, false) as is_hidden
    from masked
)

select * from final
