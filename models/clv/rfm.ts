/**
 * Per-customer recency/frequency/monetary summaries from an order list, with the semantics of the
 * Python `lifetimes` library's `summary_data_from_transaction_data`: dates are cut into periods
 * (UTC days, Monday-start weeks, calendar months), a customer's orders within one period are one
 * transaction, and the first transaction is not a repeat.
 */

/** The time unit summaries (and model parameters) are measured in. */
export type PeriodUnit = 'day' | 'week' | 'month';

/** One order: who, when (a Date or an ISO 8601 string), and how much. */
export interface Order {
  customerId: string;
  date: Date | string;
  amount: number;
}

/** One customer's summary as of a date, times in periods. */
export interface CustomerSummary {
  customerId: string;
  /** Repeat transactions: periods with an order, minus the first. */
  frequency: number;
  /** Periods from the first transaction to the last (0 without repeats). */
  recency: number;
  /** Periods from the first transaction to the as-of date. */
  T: number;
  /** Mean value of the repeat transactions (the first excluded); 0 without repeats. */
  monetaryValue: number;
  /** Sum of all amounts on or before the as-of date, the first transaction included (historic CLV). */
  totalAmount: number;
}

/** Raised when an order or the as-of date cannot be read; `path` names the offending field. */
export class OrderInputError extends Error {
  override name = 'OrderInputError';
  /** Where the bad value is, e.g. `orders[3].date`. */
  readonly path: string;

  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.path = path;
  }
}

const MS_PER_DAY = 86_400_000;

/** Returns the UTC instant of a Date or ISO 8601 string in ms, or NaN if it is not a valid date. */
function toEpochMs(value: Date | string): number {
  if (value instanceof Date) return value.getTime();
  // A bare date ("2024-01-05") is UTC midnight; Date.parse already treats it so.
  return Date.parse(value);
}

/**
 * Returns the index of the period containing an instant: days since 1970-01-01 (UTC), weeks
 * starting on Monday (1970-01-01 was a Thursday, so day 0 is day 3 of its week), or months since
 * January 1970.
 */
export function periodIndex(epochMs: number, unit: PeriodUnit): number {
  const day = Math.floor(epochMs / MS_PER_DAY);
  if (unit === 'day') return day;
  if (unit === 'week') return Math.floor((day + 3) / 7);
  const d = new Date(epochMs);
  return (d.getUTCFullYear() - 1970) * 12 + d.getUTCMonth();
}

interface Accumulator {
  customerId: string;
  /** Amount per period index. */
  periods: Map<number, number>;
}

/**
 * Summarises orders per customer as of `asOf` in `period` units. Orders on the as-of day (UTC) or
 * before count, later ones are ignored; customers with none are left out. T is counted to the
 * period containing the as-of date.
 * Throws `OrderInputError` naming the first unreadable date or amount.
 *
 * @example summarizeOrders([{customerId: 'a', date: '2024-01-01', amount: 10}, {customerId: 'a', date: '2024-01-08', amount: 20}], '2024-01-31', 'week')
 * // [{customerId: 'a', frequency: 1, recency: 1, T: 4, monetaryValue: 20, totalAmount: 30}]
 */
export function summarizeOrders(orders: readonly Order[], asOf: Date | string, period: PeriodUnit): CustomerSummary[] {
  const asOfMs = toEpochMs(asOf);
  if (Number.isNaN(asOfMs)) throw new OrderInputError('asOf', `not a valid date: ${String(asOf)}`);
  const asOfPeriod = periodIndex(asOfMs, period);
  const asOfDay = Math.floor(asOfMs / MS_PER_DAY);
  const byCustomer = new Map<string, Accumulator>();
  orders.forEach((order, i) => {
    const ms = toEpochMs(order.date);
    if (Number.isNaN(ms)) throw new OrderInputError(`orders[${i}].date`, `not a valid date: ${String(order.date)}`);
    if (!Number.isFinite(order.amount)) throw new OrderInputError(`orders[${i}].amount`, `expected a finite number, got ${String(order.amount)}`);
    // The as-of day is included whole. (lifetimes compares periods, which would also take orders
    // later in the as-of week or month; those are after the as-of date, so they are left out.)
    if (Math.floor(ms / MS_PER_DAY) > asOfDay) return;
    const index = periodIndex(ms, period);
    let acc = byCustomer.get(order.customerId);
    if (acc === undefined) {
      acc = { customerId: order.customerId, periods: new Map() };
      byCustomer.set(order.customerId, acc);
    }
    acc.periods.set(index, (acc.periods.get(index) ?? 0) + order.amount);
  });

  const summaries: CustomerSummary[] = [];
  for (const { customerId, periods } of byCustomer.values()) {
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    let totalAmount = 0;
    for (const [index, amount] of periods) {
      if (index < first) first = index;
      if (index > last) last = index;
      totalAmount += amount;
    }
    const frequency = periods.size - 1;
    const repeatAmount = totalAmount - (periods.get(first) ?? 0);
    summaries.push({
      customerId,
      frequency,
      recency: last - first,
      T: asOfPeriod - first,
      monetaryValue: frequency > 0 ? repeatAmount / frequency : 0,
      totalAmount,
    });
  }
  return summaries;
}
