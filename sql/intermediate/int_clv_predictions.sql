-- int_clv_predictions (compute): the rows are computed in TypeScript
-- (models/intermediate/customers/clv.ts): BG/NBD + Gamma-Gamma fitted per currency on the customers'
-- summaries, one prediction per customer.
-- grain of the output: one customer. primary key: customer_key.
-- Input: one summary per customer (int_clv_summaries).

select * replace (cast(as_of_date as varchar) as as_of_date)
from intermediate.int_clv_summaries
