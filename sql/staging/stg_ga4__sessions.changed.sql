-- stg_ga4__sessions is rebuilt per report day (incremental by report_date): a row comes from the records of its own
-- report day only (only the last load of each day counts). Report days to rebuild: those with records loaded or restated since the last build.
select report_date as key
from raw.ga4__sessions
where _loaded_at > pulse_loaded_after('raw.ga4__sessions')
