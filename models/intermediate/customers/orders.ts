/**
 * Intermediate models of the customers area: the as-of date and the counted orders every customer
 * mart reads.
 */
import { defineModel } from '../../engine/index.ts';

/** The as-of date of the customer marts: the latest order day in the data. */
export const intCustomersAsOf = defineModel({
  name: 'int_customers_as_of',
  layer: 'intermediate',
  sql: 'sql/intermediate/int_customers_as_of.sql',
  materialized: 'view',
  grain: 'one row',
  uniqueKey: ['as_of_date'],
  tags: ['customers'],
  description:
    'The as-of date of the customer marts: the latest order day (reporting time zone) among all Shopify orders. Statuses, tenures, churn ' +
    'and CLV are computed as of it, so the same data gives the same numbers whenever it is rebuilt.',
  columns: {
    as_of_date: { type: 'DATE', description: 'Latest order day in the data.' },
  },
});

/** Counted orders per customer, sequenced, attributed, with upsell/cross-sell inputs. */
export const intCustomerOrders = defineModel({
  name: 'int_customer_orders',
  layer: 'intermediate',
  sql: 'sql/intermediate/int_customer_orders.sql',
  materialized: 'incremental',
  // A customer's rows depend on all of that customer's orders, however old: rebuild per customer.
  incremental: { by: 'customer_key', changed: 'sql/intermediate/int_customer_orders.changed.sql' },
  grain: 'order',
  uniqueKey: ['order_id'],
  tags: ['customers'],
  description:
    'The orders customer metrics count: with a customer, not cancelled, in the currency of the customer’s first order. Refunded orders stay at ' +
    'their net revenue. Sequenced per customer (customer_order_number by created_at), attributed from the landing URL (UTM; else gclid → ' +
    'google/cpc, referring site → <host>/referral, else (direct)/(none)) and grouped by channel_group(). basket_value = subtotal_price; ' +
    'has_new_category = the order holds a category (product when no category) the customer had not bought before.',
  columns: {
    order_id: { type: 'VARCHAR', description: 'Shopify order id.' },
    customer_key: { type: 'VARCHAR', description: 'Pseudonymous customer key.' },
    created_at: { type: 'TIMESTAMPTZ', description: 'When the order was placed (UTC).' },
    order_date: { type: 'DATE', description: 'Order day (reporting time zone).' },
    order_month: { type: 'DATE', description: 'First day of the order month.' },
    currency: { type: 'VARCHAR', description: 'Order (and customer) currency.' },
    net_revenue: { type: 'DECIMAL(18,2)', description: 'total_price − refunds.' },
    basket_value: { type: 'DECIMAL(18,2)', description: 'subtotal_price: merchandise after discounts, before shipping and tax.' },
    customer_order_number: { type: 'INTEGER', description: '1 for the customer’s first counted order, 2 for the next, …' },
    is_first_order: { type: 'BOOLEAN', description: 'customer_order_number = 1.' },
    previous_order_date: { type: 'DATE', description: 'Day of the customer’s previous order.', nullable: true },
    days_since_previous_order: { type: 'INTEGER', description: 'order_date − previous_order_date.', nullable: true },
    previous_basket_value: { type: 'DECIMAL(18,2)', description: 'basket_value of the customer’s previous order.', nullable: true },
    source: { type: 'VARCHAR', description: 'Effective source of the order’s landing (see description).', nullable: true },
    medium: { type: 'VARCHAR', description: 'Effective medium of the order’s landing.', nullable: true },
    campaign: { type: 'VARCHAR', description: 'utm_campaign of the landing, if any.', nullable: true },
    channel_group: { type: 'VARCHAR', description: 'channel_group(source, medium, campaign): GA4 default channel group.' },
    referral_code: { type: 'VARCHAR', description: 'Referral code used, if any.', nullable: true },
    is_referral: { type: 'BOOLEAN', description: 'The order used a referral code.' },
    has_new_category: { type: 'BOOLEAN', description: 'The order holds a category the customer had not bought in an earlier order.' },
  },
  tests: [{ kind: 'expression', expression: 'customer_order_number >= 1' }],
});
