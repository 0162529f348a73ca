import { DomainError } from '../domain-error';
import { AllowanceLine, AllowanceLineFact, AllowanceRequest, ExistingAllowance } from '../invoice/allowances';
import { sameContent } from '../invoice/canonical-content';
import { InvoiceInput } from '../invoice/invoice.types';
import { CONTENT_EVENTS, OrderEvent, OrderTrigger, triggersReached } from './order-event';
import { planReturn } from './order-returns';

export type OrderState = 'pending' | 'issued' | 'attention' | 'cancelled' | 'voided';
export type WaitingFor = 'content' | OrderTrigger;

/** The invoice an order holds live, with what its returns are judged by. */
export interface OrderInvoice {
  invoiceNumber: string;
  /** The created/updated event whose content it was issued with. */
  contentEventId: string;
  content: InvoiceInput;
  lines: AllowanceLineFact[];
  /** After this instant a void needs a special approval number: content changes and full returns no longer void. */
  filingDeadline: string;
  allowances: ExistingAllowance[];
}

/** What an event came to, once it has had its effect: `seq` is the order of application. */
export interface AppliedEffect {
  effect: string;
  seq: number;
  at: string;
}

/**
 * Everything the order workflow decides by: the events known so far (each eventId once, kept as they arrived) and
 * what has been done about them. Decisions read the events by `occurredAt`, so arrival order changes nothing but
 * the wording of the effects.
 */
export interface OrderBook {
  orderNo: string;
  events: OrderEvent[];
  applied: Record<string, AppliedEffect>;
  invoice: OrderInvoice | null;
  /** Invoices this order has issued, the voided included. */
  issued: number;
  /** The live invoice was voided to be issued again with new content. */
  reissue: boolean;
  closed: 'cancelled' | 'voided' | null;
  /** Something staff must look at (a refused issue, void or allowance; content changed too late). */
  attention: string | null;
  /** The number of events known when issuing was last refused: it is tried again once another event arrives. */
  issueRefusedAt: number | null;
}

export type Effects = { eventId: string; effect: string }[];

/** Effects of an issue name the invoice by `{number}`, filled in once it is known. */
export type OrderAction =
  | { kind: 'issue'; contentEventId: string; content: InvoiceInput; effects: Effects }
  | { kind: 'void'; invoiceNumber: string; reason: string; causeEventId: string; then: 'close' | 'reissue'; causes: string[] }
  | { kind: 'allowance'; invoiceNumber: string; request: AllowanceRequest; causeEventId: string; reason?: string }
  | { kind: 'settle'; effects: Effects; close?: 'cancelled' | 'voided'; attention?: string }
  | { kind: 'wait'; waitingFor: WaitingFor[] };

export const emptyOrderBook = (orderNo: string): OrderBook => ({
  orderNo,
  events: [],
  applied: {},
  invoice: null,
  issued: 0,
  reissue: false,
  closed: null,
  attention: null,
  issueRefusedAt: null,
});

const STATUS_EVENTS = ['paid', 'shipped', 'delivered'];

function byOccurrence(a: OrderEvent, b: OrderEvent): number {
  return Date.parse(a.occurredAt) - Date.parse(b.occurredAt) || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);
}

/** Adds an event the book does not know yet; false for a repeat of an eventId, which is ignored. */
export function mergeEvent(book: OrderBook, event: OrderEvent): boolean {
  if (book.events.some((e) => e.eventId === event.eventId)) return false;
  book.events.push(event);
  return true;
}

export function orderState(book: OrderBook): OrderState {
  return book.closed ?? (book.attention ? 'attention' : book.invoice ? 'issued' : 'pending');
}

const settle = (effects: Effects, eventIds: string[], effect: string) => effects.push(...eventIds.map((eventId) => ({ eventId, effect })));

/**
 * The next thing to do for the order, judged by what happened (events by `occurredAt`): issue once content and one
 * of the channel's triggers are both there; after issue, a cancel voids, a content change voids and re-issues while
 * the period allows (else staff are alerted), a return enters an allowance (or voids, when it takes everything
 * before the filing deadline). `wait` when nothing is left to do until another event arrives.
 */
export function decideOrder(book: OrderBook, triggers: readonly OrderTrigger[], now: number): OrderAction {
  const ordered = [...book.events].sort(byOccurrence);
  const open = ordered.filter((e) => !book.applied[e.eventId]);
  const ids = (events: OrderEvent[]) => events.map((e) => e.eventId);
  const effects: Effects = [];
  if (book.closed) {
    if (open.length === 0) return { kind: 'wait', waitingFor: [] };
    settle(effects, ids(open), `ignored: the order is ${book.closed}`);
    return { kind: 'settle', effects };
  }
  const content = ordered.filter((e) => CONTENT_EVENTS.includes(e.type)).at(-1);
  const openContent = open.filter((e) => CONTENT_EVENTS.includes(e.type));
  const superseded = (events: OrderEvent[]) => settle(effects, ids(events.filter((e) => e !== content)), `superseded by ${content?.eventId}`);
  const cancel = open.find((e) => e.type === 'cancelled');
  const invoice = book.invoice;

  if (!invoice) {
    if (cancel) {
      settle(effects, [cancel.eventId], book.issued > 0 ? 'cancelled while re-issuing: nothing issued again' : 'cancelled before issue: nothing issued');
      settle(effects, ids(open.filter((e) => e !== cancel)), 'ignored: the order was cancelled');
      return { kind: 'settle', effects, close: book.issued > 0 ? 'voided' : 'cancelled' };
    }
    const reached = book.reissue || ordered.some((e) => triggersReached(e.type).some((t) => triggers.includes(t)));
    if (!content || !reached || book.issueRefusedAt === book.events.length) {
      const waitingFor: WaitingFor[] = [...(content ? [] : ['content' as const]), ...(reached ? [] : triggers)];
      return { kind: 'wait', waitingFor };
    }
    const verb = book.reissue ? 're-issued as {number}' : 'issued {number}';
    settle(effects, [content.eventId].filter((id) => !book.applied[id]), verb);
    superseded(openContent);
    for (const event of open.filter((e) => STATUS_EVENTS.includes(e.type))) {
      const trigger = triggersReached(event.type).find((t) => triggers.includes(t));
      settle(effects, [event.eventId], trigger ? `${verb} (${trigger} reached)` : 'noted');
    }
    return { kind: 'issue', contentEventId: content.eventId, content: content.content!, effects };
  }

  if (cancel) return { kind: 'void', invoiceNumber: invoice.invoiceNumber, reason: cancel.reason?.trim() || '訂單取消', causeEventId: cancel.eventId, then: 'close', causes: [cancel.eventId] };
  const inTime = now <= Date.parse(invoice.filingDeadline);
  if (openContent.length > 0 && content) {
    if (content.eventId === invoice.contentEventId || sameContent({ ...content.content, billingNo: book.orderNo }, invoice.content)) {
      settle(effects, [content.eventId].filter((id) => id !== invoice.contentEventId && !book.applied[id]), `no change to ${invoice.invoiceNumber}`);
      superseded(openContent);
      return { kind: 'settle', effects };
    }
    if (inTime) return { kind: 'void', invoiceNumber: invoice.invoiceNumber, reason: '訂單內容變更', causeEventId: content.eventId, then: 'reissue', causes: ids(openContent) };
    const attention = `the content changed after ${invoice.invoiceNumber} was issued (${content.eventId}), but the filing deadline of its period has passed: it can no longer be voided and re-issued`;
    settle(effects, [content.eventId].filter((id) => !book.applied[id]), `attention: ${attention}`);
    superseded(openContent);
    return { kind: 'settle', effects, attention };
  }
  const status = open.filter((e) => STATUS_EVENTS.includes(e.type));
  if (status.length > 0) {
    settle(effects, ids(status), `noted (${invoice.invoiceNumber} already issued)`);
    return { kind: 'settle', effects };
  }
  const returned = open.find((e) => e.type === 'returned');
  if (returned) {
    try {
      const plan = planReturn(invoice.lines, invoice.allowances, returned);
      if (plan.full && inTime) {
        return { kind: 'void', invoiceNumber: invoice.invoiceNumber, reason: returned.reason?.trim() || '退貨', causeEventId: returned.eventId, then: 'close', causes: [returned.eventId] };
      }
      return { kind: 'allowance', invoiceNumber: invoice.invoiceNumber, request: plan.request, causeEventId: returned.eventId, reason: returned.reason?.trim() };
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const attention = `return ${returned.eventId} refused: ${error.message}`;
      settle(effects, [returned.eventId], `refused: ${error.message}`);
      return { kind: 'settle', effects, attention };
    }
  }
  return { kind: 'wait', waitingFor: [] };
}

function record(book: OrderBook, effects: Effects, now: number, number?: string): void {
  for (const { eventId, effect } of effects) {
    if (book.applied[eventId]) continue;
    const seq = Object.keys(book.applied).length + 1;
    book.applied[eventId] = { effect: number ? effect.replaceAll('{number}', number) : effect, seq, at: new Date(now).toISOString() };
  }
}

/** The book after an action succeeded; `result` is the issued invoice or the allowance entered. */
export function applyDone(
  book: OrderBook,
  action: Exclude<OrderAction, { kind: 'wait' }>,
  now: number,
  result?: OrderInvoice | { allowanceNumber: string; lines: AllowanceLine[] },
): void {
  switch (action.kind) {
    case 'issue': {
      const invoice = result as OrderInvoice;
      record(book, action.effects, now, invoice.invoiceNumber);
      Object.assign(book, { invoice, issued: book.issued + 1, reissue: false, attention: null, issueRefusedAt: null });
      return;
    }
    case 'void':
      // A void to re-issue leaves the content events to the issue that follows, which names the new number.
      if (action.then === 'close') {
        record(book, [{ eventId: action.causeEventId, effect: `voided ${action.invoiceNumber}` }], now);
        book.closed = 'voided';
      }
      Object.assign(book, { invoice: null, reissue: action.then === 'reissue' });
      return;
    case 'allowance': {
      const allowance = result as { allowanceNumber: string; lines: AllowanceLine[] };
      record(book, [{ eventId: action.causeEventId, effect: `allowance ${allowance.allowanceNumber} on ${action.invoiceNumber}` }], now);
      book.invoice!.allowances.push({ number: allowance.allowanceNumber, live: true, lines: allowance.lines });
      return;
    }
    case 'settle':
      record(book, action.effects, now);
      if (action.close) book.closed = action.close;
      if (action.attention) book.attention = action.attention;
  }
}

/** The book after the invoice side refused an action (a domain error): recorded on the events, for staff. */
export function applyRefused(book: OrderBook, action: Exclude<OrderAction, { kind: 'wait' | 'settle' }>, error: { code: string; message: string }, now: number): void {
  const why = `${error.code}: ${error.message}`;
  if (action.kind === 'issue') {
    book.issueRefusedAt = book.events.length;
    book.attention = `issue refused (${why})`;
    return;
  }
  const causes = action.kind === 'void' ? action.causes : [action.causeEventId];
  record(book, causes.map((eventId) => ({ eventId, effect: `refused (${why})` })), now);
  book.attention = `${action.kind === 'void' ? `void of ${action.invoiceNumber}` : `allowance on ${action.invoiceNumber}`} refused (${why})`;
}
