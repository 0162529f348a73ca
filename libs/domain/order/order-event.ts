import { ErrorDetail } from '../domain-error';
import { InvoiceInput } from '../invoice/invoice.types';
import { checkInvoiceRequest, validateBillingNo } from '../invoice/validate-invoice';
import { MIG_LIMITS } from '../mig/mig-limits';

export const ORDER_EVENT_TYPES = ['created', 'updated', 'paid', 'shipped', 'delivered', 'cancelled', 'returned'] as const;
export type OrderEventType = (typeof ORDER_EVENT_TYPES)[number];

/** When a channel issues: the same values as the channel's `issueTriggers`. */
export type OrderTrigger = 'payment' | 'shipment' | 'delivery';

/** The events that carry the order's invoice content. */
export const CONTENT_EVENTS: readonly OrderEventType[] = ['created', 'updated'];

/** What an upstream system reports about one order; `occurredAt` (ISO 8601) is when it happened, not when it arrived. */
export interface OrderEvent {
  eventId: string;
  type: OrderEventType;
  occurredAt: string;
  /** created / updated: the invoice content, its BillingNo being the order number. */
  content?: InvoiceInput;
  /** returned: the lines (1-based) and quantities given back … */
  lines?: { line: number; quantity: number }[];
  /** … or the amount refunded, in the invoice's terms (B2C tax included, B2B untaxed). */
  amount?: number;
  /** cancelled / returned: the reason the void or allowance carries. */
  reason?: string;
}

/** Which triggers an event reaches; a delivered order has been shipped too. */
export function triggersReached(type: OrderEventType): OrderTrigger[] {
  switch (type) {
    case 'paid':
      return ['payment'];
    case 'shipped':
      return ['shipment'];
    case 'delivered':
      return ['shipment', 'delivery'];
    default:
      return [];
  }
}

const MAX_CLOCK_SKEW_MS = 24 * 3600_000;

const detail = (field: string, code: string, message: string): ErrorDetail => ({ field, code: `ORDER_EVENT.${code}`, message });

/**
 * What the API checks beyond the shape of an event: the fields its type needs and no others, and the content by the
 * same rules as `POST …/invoices` (field paths under `content.`). Never throws.
 */
export function validateOrderEvent(orderNo: string, event: OrderEvent, now = new Date()): ErrorDetail[] {
  const errors: ErrorDetail[] = validateBillingNo({ billingNo: orderNo } as InvoiceInput).map((e) => ({ ...e, field: 'orderNo' }));
  const occurredAt = Date.parse(event.occurredAt);
  // An event from the future would outrank every later one; a day covers any clock skew.
  if (!(occurredAt <= now.getTime() + MAX_CLOCK_SKEW_MS) || new Date(occurredAt).getUTCFullYear() < 1912) {
    errors.push(detail('occurredAt', 'OCCURRED_AT_INVALID', `occurredAt must be an instant in the past (ISO 8601 with an offset), not ${event.occurredAt}`));
  }
  const carriesContent = CONTENT_EVENTS.includes(event.type);
  if (carriesContent && !event.content) errors.push(detail('content', 'CONTENT_REQUIRED', `a ${event.type} event carries the invoice content`));
  if (!carriesContent && event.content) errors.push(detail('content', 'CONTENT_NOT_ALLOWED', `only created and updated carry content, not ${event.type}`));
  if (event.content) {
    const billingNo = event.content.billingNo;
    if (billingNo !== undefined && billingNo !== orderNo) {
      errors.push(detail('content.billingNo', 'BILLING_NO_MISMATCH', `the BillingNo is the order number ${orderNo}; leave it out or give the same`));
    } else {
      const content = { ...event.content, billingNo: orderNo };
      errors.push(...checkInvoiceRequest(content).errors.filter((e) => e.field !== 'billingNo').map((e) => ({ ...e, field: `content.${e.field}` })));
    }
  }
  const returns = event.lines !== undefined || event.amount !== undefined;
  if (event.type === 'returned') {
    if (event.lines !== undefined && event.amount !== undefined) errors.push(detail('amount', 'RETURN_EITHER', 'give the returned lines or an amount, not both'));
    if (!returns || event.lines?.length === 0) errors.push(detail('lines', 'RETURN_REQUIRED', 'a returned event gives the lines and quantities returned, or an amount'));
  } else if (returns) {
    errors.push(detail(event.lines !== undefined ? 'lines' : 'amount', 'RETURN_NOT_ALLOWED', `only returned carries lines or an amount, not ${event.type}`));
  }
  const seen = new Set<number>();
  event.lines?.forEach(({ line }, i) => {
    if (seen.has(line)) errors.push(detail(`lines[${i}].line`, 'LINE_REPEATED', `line ${line} appears twice`));
    seen.add(line);
  });
  if (event.reason !== undefined && !['cancelled', 'returned'].includes(event.type)) {
    errors.push(detail('reason', 'REASON_NOT_ALLOWED', `only cancelled and returned carry a reason, not ${event.type}`));
  }
  const reason = event.reason?.trim();
  if (reason !== undefined && (reason === '' || [...reason].length > MIG_LIMITS.cancelReason.max)) {
    errors.push(detail('reason', 'REASON_INVALID', `a reason has 1–${MIG_LIMITS.cancelReason.max} characters (CancelReason)`));
  }
  return errors;
}
