-- stg_linkedin__comments: comments and replies on the organization's posts; the member URN of
-- the author becomes a pseudonymous key (an organization's URN marks the page's own comments);
-- e-mail addresses are masked in the text.
-- grain: comment; primary key: comment_id
with

source as (
    select * from raw.linkedin__comments
),

latest as (
    select *
    from source
    qualify row_number() over (partition by commentUrn order by _loaded_at desc) = 1
),

final as (
    select
        coalesce(id, regexp_extract(commentUrn, ',(\d+)\)$', 1)) as comment_id,
        commentUrn as comment_urn,
        post_urn,
        parentComment as parent_comment_urn,
        nullif(regexp_extract(parentComment, ',(\d+)\)$', 1), '') as parent_comment_id,
        to_timestamp(cast(json_extract_string(created, '$.time') as bigint) / 1000.0) as created_at,
        regexp_replace(json_extract_string(message, '$.text'), '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}', '[email]', 'g') as text,
        pseudonym(actor) as author_key,
        -- organizations are not private persons: their URN stays readable
        case when actor like 'urn:li:organization:%' then actor end as organization_urn,
        coalesce(cast(json_extract_string(likesSummary, '$.totalLikes') as bigint), 0) as like_count
    from latest
)

select * from final
