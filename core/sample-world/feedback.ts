/**
 * What customers say when asked: NPS after a delivered order, CSAT after a solved ticket, CES
 * after checkout (exported as CSV/NDJSON survey files), and product reviews. Scores follow what
 * happened to the customer (refunds, tickets), and free text matches the score.
 */
import { type Calendar, DAY_MS, calendarEndMs, localDayIndex, toIso } from './calendar.ts';
import type { Rng } from './random.ts';
import { generateText, reviewTitle, type TextLabel, type TextSlots } from './texts.ts';
import type { Customer, Lang, Order, Product, Review, SurveyResponse, Ticket } from './types.ts';

/** Returns the language a customer from `country` writes in. */
export function langOfCountry(country: string): Lang {
  switch (country) {
    case 'ES':
    case 'MX':
      return 'es';
    case 'FR':
      return 'fr';
    case 'BE':
      return 'nl';
    case 'DE':
    case 'AT':
      return 'de';
    case 'PT':
    case 'BR':
      return 'pt';
    case 'IT':
      return 'it';
    case 'NL':
      return 'nl';
    case 'ID':
      return 'id';
    default:
      return 'en';
  }
}

/** Inputs of the feedback generator. */
export interface FeedbackInput {
  calendar: Calendar;
  brandName: string;
  customers: readonly Customer[];
  orders: readonly Order[];
  tickets: readonly Ticket[];
  products: readonly Product[];
}

/** Survey responses and product reviews. */
export interface FeedbackResult {
  surveys: SurveyResponse[];
  reviews: Review[];
}

function slotsFor(rng: Rng, input: FeedbackInput, product: Product, firstName: string): TextSlots {
  return { brand: input.brandName, product: product.title, category: product.category.toLowerCase(), color: rng.choice(product.colors), firstName };
}

/** Generates NPS, CSAT and CES answers and product reviews. */
export function generateFeedback(rng: Rng, input: FeedbackInput): FeedbackResult {
  const { calendar, orders, tickets } = input;
  const endMs = calendarEndMs(calendar);
  const customerById = new Map(input.customers.map((c) => [c.id, c]));
  const productById = new Map(input.products.map((p) => [p.id, p]));
  const surveys: SurveyResponse[] = [];
  const reviews: Review[] = [];
  const counters = { nps: 0, csat: 0, ces: 0 };

  const respond = (survey: SurveyResponse['survey'], score: number, customer: Customer, atMs: number, orderId: number | null, ticketId: number | null, label: TextLabel, commentChance: number, product: Product) => {
    counters[survey]++;
    const comment = rng.chance(commentChance) ? generateText(rng, { kind: 'survey', label, lang: langOfCountry(customer.country), slots: slotsFor(rng, input, product, customer.firstName) }) : null;
    surveys.push({ id: `${survey}_${String(counters[survey]).padStart(6, '0')}`, survey, score, customerId: customer.id, respondedAt: toIso(atMs), date: calendar.dates[localDayIndex(calendar, atMs)] as string, orderId, ticketId, comment });
  };

  for (const order of orders) {
    const customer = customerById.get(order.customerId);
    const product = productById.get(order.lines[0]?.productId ?? -1);
    if (!customer || !product) continue;
    const createdMs = Date.parse(order.createdAt);
    const unhappy = order.refunds.length > 0;
    if (rng.chance(0.1)) {
      const atMs = createdMs + rng.float(7, 14) * DAY_MS;
      if (atMs < endMs) {
        const score = unhappy ? rng.weighted([2, 4, 5, 6, 7, 8, 9], [10, 15, 20, 20, 15, 12, 8]) : rng.weighted([3, 5, 6, 7, 8, 9, 10], [3, 5, 8, 12, 18, 24, 30]);
        const label: TextLabel = score >= 9 ? 'positive' : score >= 7 ? (rng.chance(0.5) ? 'neutral' : 'mixed') : 'negative';
        respond('nps', score, customer, atMs, order.id, null, label, 0.45, product);
      }
    }
    if (rng.chance(0.05)) {
      const atMs = createdMs + rng.float(0.01, 0.2) * DAY_MS;
      if (atMs < endMs) {
        const score = rng.weighted([1, 2, 3, 4, 5, 6, 7], [3, 4, 7, 12, 20, 30, 24]);
        respond('ces', score, customer, atMs, order.id, null, score >= 6 ? 'positive' : score >= 4 ? 'neutral' : 'negative', 0.2, product);
      }
    }
    if (rng.chance(0.09)) {
      const atMs = createdMs + rng.float(10, 40) * DAY_MS;
      if (atMs < endMs) {
        const reason = order.refunds[0]?.reason;
        const rating = reason === 'damaged' || reason === 'not_as_described' ? rng.int(1, 2) : rng.weighted([1, 2, 3, 4, 5], [10, 7, 10, 25, 48]);
        const label: TextLabel = rating >= 4 ? 'positive' : rating === 3 ? (rng.chance(0.6) ? 'mixed' : 'neutral') : 'negative';
        const lang = langOfCountry(customer.country);
        const slots = slotsFor(rng, input, product, customer.firstName);
        const first = generateText(rng, { kind: 'review', label, lang, slots, theme: rating <= 2 ? 'quality' : 'product' });
        const second = rng.chance(0.4) ? generateText(rng, { kind: 'review', label, lang, slots }) : null;
        reviews.push({
          id: 50_000_000 + reviews.length * 13 + rng.int(0, 12),
          productId: product.id,
          customerId: customer.id,
          orderId: order.id,
          rating,
          title: reviewTitle(rng, rating),
          body: second ? `${first.text}${/[.!?]$/.test(first.text) ? '' : '.'} ${second.text}` : first.text,
          lang,
          createdAt: toIso(atMs),
          verifiedBuyer: true,
          truth: second ? { ...first.truth, polarity: Math.round(((first.truth.polarity + second.truth.polarity) / 2) * 100) / 100, themes: [...new Set([...first.truth.themes, ...second.truth.themes])] } : first.truth,
        });
      }
    }
  }

  for (const ticket of tickets) {
    if (!ticket.solvedAt || !rng.chance(0.3)) continue;
    const customer = customerById.get(ticket.requesterCustomerId);
    if (!customer) continue;
    const atMs = Date.parse(ticket.solvedAt) + rng.float(0.1, 3) * DAY_MS;
    if (atMs >= endMs) continue;
    const goodService = ticket.reopens === 0 && ticket.comments.filter((c) => c.authorKind === 'agent').length === 1;
    const score = goodService ? rng.weighted([1, 2, 3, 4, 5], [4, 4, 10, 30, 52]) : rng.weighted([1, 2, 3, 4, 5], [15, 15, 20, 25, 25]);
    respond('csat', score, customer, atMs, ticket.orderId, ticket.id, score >= 4 ? 'positive' : score === 3 ? 'neutral' : 'negative', 0.35, rng.choice(input.products));
  }
  surveys.sort((a, b) => (a.respondedAt < b.respondedAt ? -1 : a.respondedAt > b.respondedAt ? 1 : 0));
  reviews.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  return { surveys, reviews };
}
