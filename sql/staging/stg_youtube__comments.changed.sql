-- stg_youtube__comments is rebuilt per comment thread (incremental by thread_id): a thread's top
-- comment and replies come from its own record only. Threads to rebuild: those loaded or
-- restated since the last build.
select id as key
from raw.youtube__comment_threads
where _loaded_at > pulse_loaded_after('raw.youtube__comment_threads')
