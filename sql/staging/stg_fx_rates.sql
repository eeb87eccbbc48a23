-- stg_fx_rates: one row per month × currency pair (grain: monthly rate; primary key: rate_month,
-- base_currency, quote_currency). A seed: rate = units of quote_currency for one base_currency.
-- Monthly averages of the ECB's EUR/USD reference rate, rounded to 4 decimals (approximate,
-- for the sample and as a starting point: replace or extend with your finance team's rates).
-- Each EUR→USD row also yields its inverse USD→EUR (1 / rate). Consumers convert an amount dated
-- d with the latest month on or before d (an as-of join), so the last month carries forward until
-- a newer row is added; amounts before the first month, or in pairs without rates, stay unconverted.
with seed as (
  select * from (values
    (date '2024-01-01', 'EUR', 'USD', 1.0905),
    (date '2024-02-01', 'EUR', 'USD', 1.0795),
    (date '2024-03-01', 'EUR', 'USD', 1.0872),
    (date '2024-04-01', 'EUR', 'USD', 1.0728),
    (date '2024-05-01', 'EUR', 'USD', 1.0812),
    (date '2024-06-01', 'EUR', 'USD', 1.0759),
    (date '2024-07-01', 'EUR', 'USD', 1.0844),
    (date '2024-08-01', 'EUR', 'USD', 1.1012),
    (date '2024-09-01', 'EUR', 'USD', 1.1106),
    (date '2024-10-01', 'EUR', 'USD', 1.0904),
    (date '2024-11-01', 'EUR', 'USD', 1.0630),
    (date '2024-12-01', 'EUR', 'USD', 1.0479),
    (date '2025-01-01', 'EUR', 'USD', 1.0354),
    (date '2025-02-01', 'EUR', 'USD', 1.0413),
    (date '2025-03-01', 'EUR', 'USD', 1.0807),
    (date '2025-04-01', 'EUR', 'USD', 1.1214),
    (date '2025-05-01', 'EUR', 'USD', 1.1278),
    (date '2025-06-01', 'EUR', 'USD', 1.1516),
    (date '2025-07-01', 'EUR', 'USD', 1.1677),
    (date '2025-08-01', 'EUR', 'USD', 1.1646),
    (date '2025-09-01', 'EUR', 'USD', 1.1732),
    (date '2025-10-01', 'EUR', 'USD', 1.1630)
  ) as t(rate_month, base_currency, quote_currency, rate)
),

direct as (
  select rate_month, base_currency, quote_currency, cast(rate as double) as rate, false as is_inverse
  from seed
),

inverse as (
  select rate_month, quote_currency as base_currency, base_currency as quote_currency, 1 / cast(rate as double) as rate, true as is_inverse
  from seed
),

final as (
  select * from direct
  union all
  select * from inverse
)

select * from final
