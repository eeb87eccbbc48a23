-- stg_zendesk__users: Zendesk users as pseudonymous keys with their role; names, emails and
-- phones stay in raw. `customer_key` links a requester to the shop customer (external_id).
-- grain: user · primary key: user_key
with source as (
    select * from raw.zendesk__users
),

renamed as (
    select
        pseudonym('zendesk:' || id::varchar) as user_key,
        pseudonym(external_id) as customer_key,
        role,
        role in ('agent', 'admin') as is_agent,
        locale,
        created_at
    from source
),

final as (
    select * from renamed
)

select * from final
