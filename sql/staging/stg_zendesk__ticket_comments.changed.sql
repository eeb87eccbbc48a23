-- stg_zendesk__ticket_comments is rebuilt per comment (incremental by comment_id): a row comes from the records of its own
-- comment only. Comments to rebuild: those with records loaded or restated since the last build.
select id::varchar as key
from raw.zendesk__ticket_comments
where _loaded_at > pulse_loaded_after('raw.zendesk__ticket_comments')
