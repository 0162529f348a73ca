import { OrderEvent, validateOrderEvent } from './order-event';
import { planReturn } from './order-returns';

const content = { taxType: '1', buyer: {}, print: true, lines: [{ description: 'A', quantity: 2, unitPrice: 500, amount: 1000 }] } as unknown as OrderEvent['content'];
const event = (extra: Partial<OrderEvent>): OrderEvent => ({ eventId: 'e1', type: 'created', occurredAt: '2026-01-10T00:00:00Z', ...extra });
const fields = (orderNo: string, e: OrderEvent) => validateOrderEvent(orderNo, e).map((d) => d.field);

describe('validateOrderEvent', () => {
  it('accepts each type with what it carries', () => {
    expect(fields('SO-1', event({ content }))).toEqual([]);
    expect(fields('SO-1', event({ type: 'paid' }))).toEqual([]);
    expect(fields('SO-1', event({ type: 'cancelled', reason: '客戶取消' }))).toEqual([]);
    expect(fields('SO-1', event({ type: 'returned', lines: [{ line: 1, quantity: 1 }] }))).toEqual([]);
    expect(fields('SO-1', event({ type: 'returned', amount: 100 }))).toEqual([]);
  });

  it('names the field of content checked by the invoice rules, under content.', () => {
    const bad = { ...content!, lines: [{ description: 'A', quantity: 2, unitPrice: 500, amount: 999 }] };
    expect(fields('SO-1', event({ content: bad }))).toEqual(['content.lines[0].amount']);
    expect(fields('SO-1', event({ content: { ...content!, billingNo: 'OTHER' } }))).toEqual(['content.billingNo']);
  });

  it('refuses what a type does not carry, a missing content or return, and a bad order number', () => {
    expect(fields('SO-1', event({}))).toEqual(['content']);
    expect(fields('SO-1', event({ type: 'paid', content }))).toEqual(['content']);
    expect(fields('SO-1', event({ type: 'returned' }))).toEqual(['lines']);
    expect(fields('SO-1', event({ type: 'returned', lines: [{ line: 1, quantity: 1 }], amount: 5 }))).toEqual(['amount']);
    expect(fields('SO-1', event({ type: 'shipped', amount: 5, reason: 'x' }))).toEqual(['amount', 'reason']);
    expect(fields('SO 1', event({ type: 'paid' }))).toEqual(['orderNo']);
    expect(fields('SO-1', event({ type: 'cancelled', reason: '一'.repeat(21) }))).toEqual(['reason']);
    expect(fields('SO-1', event({ type: 'paid', occurredAt: new Date(Date.now() + 2 * 86_400_000).toISOString() }))).toEqual(['occurredAt']);
  });
});

describe('planReturn', () => {
  const lines = [
    { description: 'A', quantity: 3, unitPrice: 100, amount: 300, taxType: '1' as const },
    { description: 'B', quantity: 1, unitPrice: 50, amount: 50, taxType: '1' as const },
  ];

  it('prices returned quantities at their share of the line, and calls a return of everything full', () => {
    expect(planReturn(lines, [], { lines: [{ line: 1, quantity: 1 }] })).toEqual({ full: false, request: { lines: [{ lineIndex: 0, quantity: 1, amount: 100 }] } });
    expect(planReturn(lines, [], { lines: [{ line: 1, quantity: 3 }, { line: 2, quantity: 1 }] })).toEqual({ full: true, request: { whole: true } });
    expect(planReturn(lines, [], { amount: 350 })).toEqual({ full: true, request: { whole: true } });
  });

  it('takes an amount from the lines in order, and is not full once an allowance exists', () => {
    expect(planReturn(lines, [], { amount: 320 }).request).toEqual({ lines: [{ lineIndex: 0, amount: 300 }, { lineIndex: 1, amount: 20 }] });
    const existing = [{ number: 'AL1', live: true, lines: [{ lineIndex: 0, quantity: 1, amount: 100 }] }];
    expect(planReturn(lines, existing, { amount: 250 })).toEqual({ full: false, request: { whole: true } });
  });

  it('refuses a line the invoice lacks, too many pieces, or more than is left, naming the field', () => {
    const fieldOf = (e: Parameters<typeof planReturn>[2]) => {
      try {
        planReturn(lines, [], e);
        return undefined;
      } catch (error) {
        return (error as { details: { field: string }[] }).details.map((d) => d.field);
      }
    };
    expect(fieldOf({ lines: [{ line: 3, quantity: 1 }] })).toEqual(['lines[0].line']);
    expect(fieldOf({ lines: [{ line: 2, quantity: 2 }] })).toEqual(['lines[0].quantity']);
    expect(fieldOf({ amount: 351 })).toEqual(['amount']);
  });
});
