-- stg_stripe__subscription_events is rebuilt per event (incremental by event_id): a row comes from the records of its own
-- event only. Events to rebuild: those with records loaded or restated since the last build.
select id as key
from raw.stripe__subscription_events
where _loaded_at > pulse_loaded_after('raw.stripe__subscription_events')
