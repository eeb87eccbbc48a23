/**
 * Customer service in Zendesk terms: tickets opened by customers (mostly about an order),
 * agents' first replies fast on chat and slower by e-mail outside office hours, follow-ups,
 * solves, reopens and satisfaction ratings, every public comment with its text and truth.
 */
import { type Calendar, DAY_MS, HOUR_MS, MINUTE_MS, calendarEndMs, localDayIndex, toIso } from './calendar.ts';
import type { Rng } from './random.ts';
import { agentReplyText, generateText, type TextSlots } from './texts.ts';
import type { Agent, Customer, Lang, Order, Product, Theme, Ticket, TicketComment } from './types.ts';
import { langOfCountry } from './feedback.ts';

const AGENT_NAMES = ['Maya Torres', 'Sam Whitfield', 'Priya Raman', 'Jordan Lee', 'Alex Novak', 'Chris Adeyemi', 'Taylor Brooks', 'Robin Castillo'];

const SUBJECTS: Record<'delivery' | 'billing' | 'quality' | 'returns' | 'fit', readonly string[]> = {
  delivery: ['Where is my order {order}?', 'Order {order} not delivered', 'Tracking not updating'],
  billing: ['Charged twice', 'Discount code not applied', 'Refund not received'],
  quality: ['Zipper broken', 'Seam came apart', 'Item arrived damaged'],
  returns: ['Return request for {order}', 'How do I return an item?'],
  fit: ['Exchange for a different size', 'Size advice'],
};

/** Agents and tickets. */
export interface ServiceResult {
  agents: Agent[];
  tickets: Ticket[];
}

/** Inputs of the service generator. */
export interface ServiceInput {
  calendar: Calendar;
  brandName: string;
  customers: readonly Customer[];
  orders: readonly Order[];
  products: readonly Product[];
}

function officeHoursDelay(rng: Rng, calendar: Calendar, atMs: number, channel: Ticket['channel']): number {
  if (channel === 'chat' || channel === 'voice') return rng.logNormal(3 * MINUTE_MS, 0.8);
  const dayIndex = localDayIndex(calendar, atMs);
  const dayStart = calendar.dayStartMs[dayIndex] as number;
  const hour = (atMs - dayStart) / HOUR_MS;
  const wait = rng.logNormal(4 * HOUR_MS, 0.9);
  if (hour < 8) return dayStart + 8 * HOUR_MS - atMs + wait / 2;
  if (hour >= 18) return dayStart + DAY_MS + 8 * HOUR_MS - atMs + wait / 2;
  return wait;
}

/** Generates tickets; sets `zendeskUserId` on the customers who write in. */
export function generateService(rng: Rng, input: ServiceInput): ServiceResult {
  const { calendar, customers, orders } = input;
  const endMs = calendarEndMs(calendar);
  const customerById = new Map(customers.map((c) => [c.id, c]));
  const agents: Agent[] = AGENT_NAMES.map((name, i) => ({ id: 380_000_000_000 + i * 7_919 + rng.int(0, 999), name, email: `${name.split(' ')[0]?.toLowerCase()}@support.northwind-outfitters.example` }));
  const drafts: Array<{ atMs: number; customer: Customer; order: Order | null }> = [];
  for (const order of orders) {
    if (!rng.chance(order.refunds.length > 0 ? 0.45 : 0.11)) continue;
    const atMs = Date.parse(order.createdAt) + rng.float(0.5, 20) * DAY_MS;
    const customer = customerById.get(order.customerId);
    if (atMs < endMs && customer) drafts.push({ atMs, customer, order });
  }
  for (let i = Math.round(orders.length * 0.02); i > 0; i--) {
    const customer = rng.choice(customers);
    const atMs = Date.parse(customer.createdAt) + rng.float(0, 200) * DAY_MS;
    if (atMs < endMs) drafts.push({ atMs, customer, order: null });
  }
  drafts.sort((a, b) => a.atMs - b.atMs);

  let commentId = 27_000_000_000_000 + rng.int(0, 999_999);
  const tickets: Ticket[] = [];
  drafts.forEach((draft, index) => {
    const { customer, order } = draft;
    customer.zendeskUserId ??= 410_000_000_000 + Math.floor(rng.next() * 99_000_000_000);
    const id = 10_234 + index;
    const theme = rng.weightedKey({ delivery: 35, billing: 15, quality: 20, returns: 18, fit: 12 });
    const channel = rng.weighted(['email', 'web', 'chat', 'voice', 'facebook', 'instagram'] as const, [45, 25, 20, 5, 3, 2]);
    const lang: Lang = langOfCountry(customer.country);
    const product = order ? input.products.find((p) => p.id === order.lines[0]?.productId) ?? rng.choice(input.products) : rng.choice(input.products);
    const slots: TextSlots = { brand: input.brandName, product: product.title, category: product.category.toLowerCase(), color: rng.choice(product.colors), orderName: order?.name ?? `#${rng.int(1001, 9999)}`, firstName: customer.firstName };
    const agent = rng.choice(agents);
    const comments: TicketComment[] = [];
    const add = (authorKind: TicketComment['authorKind'], atMs: number, text: ReturnType<typeof generateText>) => {
      commentId += rng.int(1, 5_000);
      comments.push({ id: commentId, ticketId: id, authorKind, authorId: authorKind === 'agent' ? agent.id : (customer.zendeskUserId as number), createdAt: toIso(atMs), public: true, body: text.text, lang: text.lang, truth: text.truth });
    };
    const label = rng.weighted(['negative', 'neutral', 'mixed'] as const, [62, 33, 5]);
    add('requester', draft.atMs, generateText(rng, { kind: 'ticket', label, lang, slots, theme: theme as Theme }));

    let atMs = draft.atMs;
    let firstReplyMs: number | null = null;
    let solvedMs: number | null = null;
    let reopens = 0;
    const agentReplies = rng.weighted([1, 2, 3], [60, 28, 12]);
    for (let r = 0; r < agentReplies; r++) {
      const replyMs = atMs + (r === 0 ? officeHoursDelay(rng, calendar, atMs, channel) : rng.logNormal(3 * HOUR_MS, 1));
      if (replyMs >= endMs) break;
      add('agent', replyMs, agentReplyText(rng, slots));
      firstReplyMs ??= replyMs;
      atMs = replyMs;
      if (r < agentReplies - 1) {
        const followMs = atMs + rng.logNormal(6 * HOUR_MS, 1);
        if (followMs >= endMs) break;
        add('requester', followMs, generateText(rng, { kind: 'ticket', label: rng.chance(0.5) ? 'neutral' : 'negative', lang, slots, theme: theme as Theme }));
        atMs = followMs;
      } else {
        solvedMs = atMs + rng.float(0.2, 24) * HOUR_MS;
      }
    }
    if (solvedMs !== null && rng.chance(0.08)) {
      // Reopened: the customer writes again after the solve, an agent answers and solves again.
      const againMs = solvedMs + rng.float(1, 6) * DAY_MS;
      const answerMs = againMs + officeHoursDelay(rng, calendar, againMs, channel);
      if (answerMs < endMs) {
        add('requester', againMs, generateText(rng, { kind: 'ticket', label: 'negative', lang, slots, theme: theme as Theme }));
        add('agent', answerMs, agentReplyText(rng, slots));
        reopens = 1;
        solvedMs = answerMs + rng.float(0.5, 12) * HOUR_MS;
      }
    }
    if (solvedMs !== null && solvedMs >= endMs) solvedMs = null;
    const status: Ticket['status'] =
      solvedMs === null ? (firstReplyMs === null ? 'new' : rng.chance(0.5) ? 'open' : 'pending')
      : solvedMs < endMs - 4 * DAY_MS ? 'closed'
      : 'solved';

    let satisfaction: Ticket['satisfaction'] = null;
    if (solvedMs !== null && rng.chance(0.35)) {
      const ratedMs = solvedMs + rng.float(0.1, 2) * DAY_MS;
      if (ratedMs < endMs) {
        const good = rng.chance(agentReplies === 1 && reopens === 0 ? 0.88 : 0.62);
        const withComment = rng.chance(0.4);
        const text = withComment ? generateText(rng, { kind: 'survey', label: good ? 'positive' : 'negative', lang, slots, theme: 'service' }) : null;
        satisfaction = { score: good ? 'good' : 'bad', comment: text?.text ?? null, createdAt: toIso(ratedMs), truth: text?.truth ?? null };
      }
    }
    const lastCommentMs = Date.parse(comments[comments.length - 1]?.createdAt ?? toIso(draft.atMs));
    const updatedMs = Math.max(lastCommentMs, solvedMs ?? 0, satisfaction ? Date.parse(satisfaction.createdAt) : 0);
    tickets.push({
      id,
      subject: (rng.choice(SUBJECTS[theme as keyof typeof SUBJECTS]) ?? 'Help').replace('{order}', slots.orderName ?? ''),
      requesterCustomerId: customer.id,
      requesterId: customer.zendeskUserId as number,
      assigneeId: agent.id,
      orderId: order?.id ?? null,
      channel,
      priority: rng.weighted(['low', 'normal', 'high', 'urgent'] as const, [15, 65, 17, 3]),
      status,
      tags: [theme, channel, ...(order ? ['has_order'] : [])],
      createdAt: toIso(draft.atMs),
      updatedAt: toIso(updatedMs),
      firstReplyAt: firstReplyMs === null ? null : toIso(firstReplyMs),
      solvedAt: solvedMs === null ? null : toIso(solvedMs),
      reopens,
      comments,
      satisfaction,
    });
  });
  return { agents, tickets };
}
