-- stg_facebook__post_comments is rebuilt per post (incremental by post_id): a comment's masked
-- text depends on the names of everyone commenting on the same post, and on nothing outside it.
-- Posts to rebuild: those with comments loaded or restated since the last build.
select post_id as key
from raw.facebook__post_comments
where _loaded_at > pulse_loaded_after('raw.facebook__post_comments')
