-- stg_instagram__tags: public media in which others tagged the account (brand mentions). Authors
-- become pseudonymous keys; @handles and e-mail addresses are masked in the caption; the
-- permalink (a private person's post) is left out.
-- grain: tagged media; primary key: media_id
with

source as (
    select * from raw.instagram__tags
),

latest as (
    select *
    from source
    qualify row_number() over (partition by id order by _loaded_at desc) = 1
),

final as (
    select
        id as media_id,
        timestamp as created_at,
        regexp_replace(
            regexp_replace(coalesce(caption, ''), '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}', '[email]', 'g'),
            '@[A-Za-z0-9._]+', '@user', 'g'
        ) as text,
        media_type,
        media_product_type,
        pseudonym(username) as author_key,
        like_count,
        comments_count
    from latest
)

select * from final
