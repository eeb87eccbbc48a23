import { describe, expect, it } from 'vitest';
import { OrderInputError, type Order, summarizeOrders } from '../../../models/clv/rfm.ts';

// 2024-01-01 is a Monday; 2024-03-31 (the as-of date) a Sunday; 2024 is a leap year.
const orders: Order[] = [
  { customerId: 'a', date: '2024-01-01', amount: 10 },
  { customerId: 'a', date: '2024-01-01T18:00:00Z', amount: 5 }, // same day: one transaction of 15
  { customerId: 'a', date: '2024-01-11', amount: 20 }, // Thursday of week 2
  { customerId: 'a', date: new Date('2024-01-12T09:00:00Z'), amount: 4 }, // Friday, same week
  { customerId: 'a', date: '2024-01-31', amount: 40 }, // Wednesday of week 5
  { customerId: 'a', date: '2024-04-02', amount: 100 }, // after the as-of date: ignored
  { customerId: 'b', date: '2024-03-01', amount: 50 },
  // 23:59:59 at UTC−1 is 00:59:59 UTC on 2 March: days are cut in UTC, so this is a second day.
  { customerId: 'b', date: '2024-03-01T23:59:59-01:00', amount: 30 },
  { customerId: 'c', date: '2024-04-01', amount: 70 }, // only after the as-of date: no summary
  { customerId: 'd', date: '2024-03-31T23:00:00Z', amount: 9 }, // late on the as-of day: counts
];

const byId = (period: 'day' | 'week' | 'month') =>
  Object.fromEntries(summarizeOrders(orders, '2024-03-31', period).map((s) => [s.customerId, s]));

describe('summarizeOrders', () => {
  it('summarises by day: same-day orders once, first purchase not a repeat, later orders ignored', () => {
    const s = byId('day');
    expect(Object.keys(s).sort()).toEqual(['a', 'b', 'd']);
    // a: transaction days 1 Jan (15), 11 Jan (20), 12 Jan (4), 31 Jan (40) → 3 repeats;
    // recency = 31 Jan − 1 Jan = 30 days; T = 31 Mar − 1 Jan = 31 + 29 + 30 = 90 days;
    // monetary value = mean of the repeats = (20 + 4 + 40)/3 = 64/3; total = 15 + 64 = 79.
    expect(s['a']).toEqual({ customerId: 'a', frequency: 3, recency: 30, T: 90, monetaryValue: 64 / 3, totalAmount: 79 });
    // b: 1 Mar (50), 2 Mar UTC (30) → 1 repeat, recency 1, T = 31 Mar − 1 Mar = 30, monetary 30.
    expect(s['b']).toEqual({ customerId: 'b', frequency: 1, recency: 1, T: 30, monetaryValue: 30, totalAmount: 80 });
    expect(s['d']).toEqual({ customerId: 'd', frequency: 0, recency: 0, T: 0, monetaryValue: 0, totalAmount: 9 });
  });

  it('summarises by Monday-start week', () => {
    const s = byId('week');
    // a: weeks of 1 Jan (15), 8 Jan (20 + 4 = 24), 29 Jan (40) → 2 repeats; recency = 4 weeks;
    // T = week of 25 Mar − week of 1 Jan = 84 days / 7 = 12; monetary = (24 + 40)/2 = 32.
    expect(s['a']).toMatchObject({ frequency: 2, recency: 4, T: 12, monetaryValue: 32 });
    // b: both days in the week of 26 Feb → no repeat; T = week of 25 Mar − week of 26 Feb = 4.
    expect(s['b']).toMatchObject({ frequency: 0, recency: 0, T: 4, monetaryValue: 0, totalAmount: 80 });
  });

  it('summarises by calendar month', () => {
    const s = byId('month');
    // a: all orders before the as-of date are in January → no repeat; T = March − January = 2.
    expect(s['a']).toMatchObject({ frequency: 0, recency: 0, T: 2, monetaryValue: 0, totalAmount: 79 });
    expect(s['b']).toMatchObject({ frequency: 0, T: 0 });
  });

  it('names the order with an unreadable date or amount', () => {
    const bad: Order[] = [{ customerId: 'a', date: '2024-01-01', amount: 1 }, { customerId: 'a', date: 'yesterday', amount: 1 }];
    expect(() => summarizeOrders(bad, '2024-03-31', 'day')).toThrow(new OrderInputError('orders[1].date', 'not a valid date: yesterday'));
    expect(() => summarizeOrders([{ customerId: 'a', date: '2024-01-01', amount: Number.NaN }], '2024-03-31', 'day')).toThrow(/orders\[0\]\.amount/);
    expect(() => summarizeOrders([], 'soon', 'day')).toThrow(/asOf/);
  });
});
