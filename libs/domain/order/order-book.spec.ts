import { fc, test } from '@fast-check/jest';
import { DomainError } from '../domain-error';
import { planAllowance } from '../invoice/allowances';
import { InvoiceInput } from '../invoice/invoice.types';
import { OrderBook, OrderInvoice, applyDone, applyRefused, decideOrder, emptyOrderBook, mergeEvent, orderState } from './order-book';
import { OrderEvent, OrderTrigger } from './order-event';

const NOW = Date.parse('2026-01-20T00:00:00Z');
const content = (price = 500): InvoiceInput => ({
  billingNo: 'SO-1',
  taxType: '1',
  buyer: {},
  print: true,
  lines: [
    { description: 'A', quantity: 2, unitPrice: price, amount: 2 * price },
    { description: 'B', quantity: 1, unitPrice: 200, amount: 200 },
  ],
});
const at = (minute: number) => new Date(Date.parse('2026-01-10T00:00:00Z') + minute * 60_000).toISOString();
const event = (eventId: string, type: OrderEvent['type'], minute: number, extra: Partial<OrderEvent> = {}): OrderEvent => ({ eventId, type, occurredAt: at(minute), ...extra });

/** Runs the book to rest the way the workflow does, with an invoice side that does what is asked. */
function run(book: OrderBook, triggers: OrderTrigger[], now = NOW, refuse?: (kind: string) => DomainError | undefined): void {
  for (let step = 0; step < 50; step++) {
    const action = decideOrder(book, triggers, now);
    if (action.kind === 'wait') return;
    if (action.kind === 'settle') {
      applyDone(book, action, now);
      continue;
    }
    const refusal = refuse?.(action.kind);
    if (refusal) {
      applyRefused(book, action, refusal, now);
      continue;
    }
    if (action.kind === 'issue') {
      const invoice: OrderInvoice = {
        invoiceNumber: `AB${String(10000000 + book.issued)}`,
        contentEventId: action.contentEventId,
        content: { ...action.content, billingNo: book.orderNo },
        lines: action.content.lines.map((l) => ({ ...l, taxType: '1' })),
        filingDeadline: '2026-03-15T15:59:59.999Z',
        allowances: [],
      };
      applyDone(book, action, now, invoice);
    } else if (action.kind === 'allowance') {
      const lines = planAllowance(book.invoice!.lines, book.invoice!.allowances, action.request);
      applyDone(book, action, now, { allowanceNumber: `AL${book.invoice!.allowances.length + 1}`, lines });
    } else {
      applyDone(book, action, now);
    }
  }
  throw new Error('the book did not come to rest');
}

function deliver(events: OrderEvent[], triggers: OrderTrigger[], now = NOW): OrderBook {
  const book = emptyOrderBook('SO-1');
  for (const e of events) {
    mergeEvent(book, e);
    run(book, triggers, now);
  }
  return book;
}

const summary = (book: OrderBook) => ({
  state: orderState(book),
  issued: book.issued,
  invoice: book.invoice && { content: book.invoice.content, allowances: book.invoice.allowances.map((a) => a.lines) },
  applied: Object.keys(book.applied).sort(),
});

describe('the order book', () => {
  it('issues on the channel trigger only, once content is there', () => {
    const book = deliver([event('e1', 'created', 0, { content: content() }), event('e2', 'paid', 1)], ['shipment']);
    expect(decideOrder(book, ['shipment'], NOW)).toEqual({ kind: 'wait', waitingFor: ['shipment'] });
    expect(orderState(book)).toBe('pending');
    mergeEvent(book, event('e3', 'shipped', 2));
    run(book, ['shipment']);
    expect(book.invoice?.invoiceNumber).toBe('AB10000000');
    expect(book.applied).toMatchObject({ e1: { effect: 'issued AB10000000' }, e2: { effect: 'noted' }, e3: { effect: 'issued AB10000000 (shipment reached)' } });
    expect(mergeEvent(book, event('e3', 'shipped', 2))).toBe(false);
    mergeEvent(book, event('e4', 'shipped', 3));
    run(book, ['shipment']);
    expect([book.issued, book.applied.e4.effect]).toEqual([1, 'noted (AB10000000 already issued)']);
  });

  it('keeps a trigger that arrives before the content and issues when the content comes', () => {
    const book = deliver([event('p', 'paid', 5)], ['payment']);
    expect(decideOrder(book, ['payment'], NOW)).toEqual({ kind: 'wait', waitingFor: ['content'] });
    mergeEvent(book, event('c', 'created', 0, { content: content() }));
    run(book, ['payment']);
    expect(orderState(book)).toBe('issued');
  });

  it('counts a delivery as a shipment', () => {
    expect(deliver([event('c', 'created', 0, { content: content() }), event('d', 'delivered', 1)], ['shipment']).issued).toBe(1);
  });

  it('ends a cancelled order with nothing issued, and ignores what comes after', () => {
    const book = deliver([event('c', 'created', 0, { content: content() }), event('x', 'cancelled', 1), event('s', 'shipped', 2)], ['shipment']);
    expect([orderState(book), book.issued, book.applied.s.effect]).toEqual(['cancelled', 0, 'ignored: the order is cancelled']);
  });

  it('voids on a cancel after issue, and on a full return before the filing deadline', () => {
    const cancelled = deliver([event('c', 'created', 0, { content: content() }), event('p', 'paid', 1), event('x', 'cancelled', 2)], ['payment']);
    expect([orderState(cancelled), cancelled.issued, cancelled.applied.x.effect]).toEqual(['voided', 1, 'voided AB10000000']);
    const everything = { lines: [{ line: 1, quantity: 2 }, { line: 2, quantity: 1 }] };
    const returned = deliver([event('c', 'created', 0, { content: content() }), event('p', 'paid', 1), event('r', 'returned', 2, everything)], ['payment']);
    expect(orderState(returned)).toBe('voided');
    const late = deliver([event('c', 'created', 0, { content: content() }), event('p', 'paid', 1), event('r', 'returned', 2, everything)], ['payment'], Date.parse('2026-04-01T00:00:00Z'));
    expect([orderState(late), late.invoice?.allowances]).toEqual(['issued', [{ number: 'AL1', live: true, lines: [{ lineIndex: 0, quantity: 2, amount: 1000 }, { lineIndex: 1, quantity: 1, amount: 200 }] }]]);
  });

  it('enters a partial allowance for a return of some lines or an amount', () => {
    const book = deliver(
      [event('c', 'created', 0, { content: content() }), event('p', 'paid', 1), event('r1', 'returned', 2, { lines: [{ line: 1, quantity: 1 }] }), event('r2', 'returned', 3, { amount: 600 })],
      ['payment'],
    );
    expect(book.invoice?.allowances.map((a) => a.lines)).toEqual([
      [{ lineIndex: 0, quantity: 1, amount: 500 }],
      [{ lineIndex: 0, quantity: 2, amount: 500 }, { lineIndex: 1, quantity: 1, amount: 100 }],
    ]);
  });

  it('voids and re-issues on a content change while the period allows, else asks staff', () => {
    const events = [event('c', 'created', 0, { content: content() }), event('p', 'paid', 1), event('u', 'updated', 2, { content: content(450) })];
    const book = deliver(events, ['payment']);
    expect([orderState(book), book.issued, book.invoice?.invoiceNumber, book.applied.u.effect]).toEqual(['issued', 2, 'AB10000001', 're-issued as AB10000001']);
    const late = deliver(events, ['payment'], Date.parse('2026-04-01T00:00:00Z'));
    expect([orderState(late), late.issued, late.attention]).toEqual(['attention', 1, expect.stringContaining('filing deadline')]);
    const same = deliver([...events.slice(0, 2), event('u', 'updated', 2, { content: { ...content(), mainRemark: '' } })], ['payment']);
    expect([same.issued, same.applied.u.effect]).toEqual([1, 'no change to AB10000000']);
  });

  it('records a refused issue for staff and tries again when another event arrives', () => {
    const book = emptyOrderBook('SO-1');
    mergeEvent(book, event('c', 'created', 0, { content: content() }));
    mergeEvent(book, event('p', 'paid', 1));
    run(book, ['payment'], NOW, () => new DomainError('conflict', 'NUMBERS.EXHAUSTED', 'no numbers left'));
    expect([orderState(book), book.attention]).toEqual(['attention', 'issue refused (NUMBERS.EXHAUSTED: no numbers left)']);
    mergeEvent(book, event('s', 'shipped', 2));
    run(book, ['payment']);
    expect([orderState(book), book.issued]).toEqual(['issued', 1]);
  });

  const lifecycle = [
    event('c', 'created', 0, { content: content() }),
    event('p', 'paid', 2),
    event('s', 'shipped', 3),
    event('d', 'delivered', 4),
    event('r', 'returned', 5, { lines: [{ line: 2, quantity: 1 }] }),
  ];

  test.prop([fc.shuffledSubarray(lifecycle, { minLength: lifecycle.length, maxLength: lifecycle.length }), fc.constantFrom<OrderTrigger[]>(['payment'], ['shipment'], ['delivery'], ['payment', 'delivery'])])(
    'comes to the same invoice, allowances and state whatever the arrival order',
    (events, triggers) => {
      const inOrder = deliver(lifecycle, triggers);
      const shuffled = deliver(events, triggers);
      expect(summary(shuffled).invoice).toEqual(summary(inOrder).invoice);
      expect([summary(shuffled).state, summary(shuffled).applied]).toEqual([summary(inOrder).state, summary(inOrder).applied]);
      expect(shuffled.invoice?.allowances).toHaveLength(1);
    },
  );

  test.prop([fc.shuffledSubarray([...lifecycle, event('x', 'cancelled', 6)], { minLength: 6, maxLength: 6 })])(
    'leaves no live invoice once the order is cancelled, whatever the arrival order',
    (events) => {
      const book = deliver(events, ['shipment']);
      expect([book.invoice, ['cancelled', 'voided'].includes(orderState(book))]).toEqual([null, true]);
    },
  );
});
