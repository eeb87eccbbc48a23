/**
 * The "Northwind Club" membership billed through Stripe: some customers subscribe after their
 * first order, pay monthly, upgrade, downgrade, cancel and sometimes come back (a reactivation is
 * a new subscription of the same customer, as in Stripe). Produces plans, subscriptions, their
 * MRR-changing events and the monthly charges with occasional failures and refunds.
 */
import { type Calendar, DAY_MS, calendarEndMs, toIso } from './calendar.ts';
import type { Rng } from './random.ts';
import type { Charge, Customer, Plan, Subscription, SubscriptionEvent } from './types.ts';

/** Plans, subscriptions, events and charges. */
export interface BillingResult {
  plans: Plan[];
  subscriptions: Subscription[];
  subscriptionEvents: SubscriptionEvent[];
  charges: Charge[];
}

const PLANS: readonly Plan[] = [
  { id: 'price_club_basic_monthly', productName: 'Northwind Club', nickname: 'Basic', amountCents: 900, interval: 'month', tier: 1 },
  { id: 'price_club_plus_monthly', productName: 'Northwind Club', nickname: 'Plus', amountCents: 1_900, interval: 'month', tier: 2 },
  { id: 'price_club_pro_monthly', productName: 'Northwind Club', nickname: 'Pro', amountCents: 3_500, interval: 'month', tier: 3 },
];

const MONTH_MS = 30.44 * DAY_MS;

/** Simulates memberships; sets `stripeCustomerId` on the customers who subscribe. */
export function generateBilling(rng: Rng, calendar: Calendar, customers: readonly Customer[]): BillingResult {
  const endMs = calendarEndMs(calendar);
  const subscriptions: Subscription[] = [];
  const subscriptionEvents: SubscriptionEvent[] = [];
  const charges: Charge[] = [];
  const event = (subscription: Subscription, atMs: number, type: SubscriptionEvent['type'], from: Plan | null, to: Plan | null) => {
    subscriptionEvents.push({
      id: `evt_${rng.alphanumeric(24)}`,
      subscriptionId: subscription.id,
      stripeCustomerId: subscription.stripeCustomerId,
      at: toIso(atMs),
      type,
      fromPlanId: from?.id ?? null,
      toPlanId: to?.id ?? null,
      mrrDeltaCents: (to?.amountCents ?? 0) - (from?.amountCents ?? 0),
    });
  };

  for (const customer of customers) {
    if (!rng.chance(0.09)) continue;
    let startMs = Date.parse(customer.createdAt) + rng.float(0, 60) * DAY_MS;
    if (startMs >= endMs) continue;
    customer.stripeCustomerId = `cus_${rng.alphanumeric(14)}`;
    let reactivation = false;
    while (startMs < endMs) {
      let plan = rng.weighted(PLANS, [60, 30, 10]);
      const subscription: Subscription = {
        id: `sub_${rng.alphanumeric(24)}`,
        stripeCustomerId: customer.stripeCustomerId,
        customerId: customer.id,
        status: 'active',
        planId: plan.id,
        createdAt: toIso(startMs),
        canceledAt: null,
        currentPeriodStart: toIso(startMs),
        currentPeriodEnd: toIso(startMs + MONTH_MS),
      };
      subscriptions.push(subscription);
      event(subscription, startMs, reactivation ? 'reactivated' : 'created', null, plan);
      let failures = 0;
      let periodStart = startMs;
      let canceledMs: number | null = null;
      while (periodStart < endMs) {
        const paid = rng.chance(0.96);
        const refunded = paid && rng.chance(0.02);
        const chargeMs = periodStart + rng.float(0, 0.05) * DAY_MS;
        charges.push({
          id: `ch_3${rng.alphanumeric(23)}`,
          stripeCustomerId: customer.stripeCustomerId,
          subscriptionId: subscription.id,
          amountCents: plan.amountCents,
          currency: 'usd',
          createdAt: toIso(chargeMs),
          status: paid ? 'succeeded' : 'failed',
          amountRefundedCents: refunded ? plan.amountCents : 0,
          refunds: refunded && chargeMs + 3 * DAY_MS < endMs ? [{ id: `re_3${rng.alphanumeric(23)}`, amountCents: plan.amountCents, createdAt: toIso(chargeMs + rng.float(1, 3) * DAY_MS) }] : [],
          description: `Northwind Club ${plan.nickname}`,
        });
        subscription.currentPeriodStart = toIso(periodStart);
        subscription.currentPeriodEnd = toIso(periodStart + MONTH_MS);
        failures = paid ? 0 : failures + 1;
        subscription.status = failures > 0 ? 'past_due' : 'active';
        const nextPeriod = periodStart + MONTH_MS;
        if (failures >= 2 || rng.chance(0.05)) {
          canceledMs = failures >= 2 ? chargeMs + 7 * DAY_MS : periodStart + rng.float(3, 28) * DAY_MS;
          break;
        }
        const changeMs = periodStart + rng.float(5, 25) * DAY_MS;
        if (changeMs < endMs && rng.chance(0.06)) {
          const up = plan.tier < 3 && (plan.tier === 1 || rng.chance(0.6));
          const next = PLANS.find((p) => p.tier === plan.tier + (up ? 1 : -1));
          if (next) {
            event(subscription, changeMs, up ? 'upgraded' : 'downgraded', plan, next);
            plan = next;
            subscription.planId = plan.id;
          }
        }
        periodStart = nextPeriod;
      }
      if (canceledMs === null || canceledMs >= endMs) break;
      subscription.status = 'canceled';
      subscription.canceledAt = toIso(canceledMs);
      event(subscription, canceledMs, 'canceled', plan, null);
      if (!rng.chance(0.25)) break;
      startMs = canceledMs + rng.float(15, 90) * DAY_MS;
      reactivation = true;
    }
  }
  subscriptions.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  subscriptionEvents.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  charges.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  return { plans: PLANS.map((p) => ({ ...p })), subscriptions, subscriptionEvents, charges };
}
