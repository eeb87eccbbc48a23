-- stg_x__mentions is rebuilt per tweet (incremental by tweet_id): a row comes from the records of its own
-- tweet only. Tweets to rebuild: those with records loaded or restated since the last build.
select id as key
from raw.x__mentions
where _loaded_at > pulse_loaded_after('raw.x__mentions')
