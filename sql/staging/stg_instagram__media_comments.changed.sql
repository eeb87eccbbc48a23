-- stg_instagram__media_comments is rebuilt per media (incremental by media_id): a media's
-- comments and their nested replies come from that media's comment records only. Media to
-- rebuild: those with comments loaded or restated since the last build.
select media_id as key
from raw.instagram__media_comments
where _loaded_at > pulse_loaded_after('raw.instagram__media_comments')
