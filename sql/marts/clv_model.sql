-- clv_model (compute): the rows are computed in TypeScript (models/intermediate/customers/clv.ts):
-- BG/NBD + Gamma-Gamma fitted per currency, one row per fit (currency) with its parameters,
-- likelihoods and status.
-- grain of the output: one fit (currency). primary key: currency.
-- Input: one summary per customer (int_clv_summaries), as int_clv_predictions reads them, so the
-- two share one fit.

select * replace (cast(as_of_date as varchar) as as_of_date)
from intermediate.int_clv_summaries
