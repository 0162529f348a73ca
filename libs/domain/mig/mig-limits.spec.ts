import { fc, test } from '@fast-check/jest';
import { computeAmounts } from '../invoice/compute-amounts';
import { InvoiceInput } from '../invoice/invoice.types';
import { validateInvoiceInput } from '../invoice/validate-invoice';
import { withDeliveryDefaults } from '../invoice/validate-delivery';
import { renderF0401 } from './f0401';
import { MIG_LIMITS, fitsMigDecimal, migLimitProblems } from './mig-limits';
import { readMigXml } from './mig-read';

/** Text around a length: short, at the limit, a little over; with CJK and astral characters, which count as one. */
const textUpTo = (max: number) =>
  fc.string({ unit: fc.constantFrom('a', 'Z', '9', ' ', '茶', '𠮷', '&', '<'), minLength: 1, maxLength: max + 3 }).filter((t) => t.trim() !== '');

const line = fc.record(
  {
    description: textUpTo(MIG_LIMITS.description.max),
    quantity: fc.integer({ min: 1, max: 1000 }),
    unitPrice: fc.integer({ min: 0, max: 100_000 }),
    unit: textUpTo(MIG_LIMITS.unit.max),
    remark: textUpTo(MIG_LIMITS.lineRemark.max),
  },
  { requiredKeys: ['description', 'quantity', 'unitPrice'] },
);

interface Order {
  b2b: boolean;
  name: string;
  address?: string;
  email?: string;
  mainRemark?: string;
  delivery: Partial<InvoiceInput>;
  lines: { description: string; quantity: number; unitPrice: number; unit?: string; remark?: string }[];
}

const order: fc.Arbitrary<Order> = fc.record({
  b2b: fc.boolean(),
  name: textUpTo(MIG_LIMITS.name.max),
  address: fc.option(textUpTo(MIG_LIMITS.address.max), { nil: undefined }),
  email: fc.option(fc.constantFrom('a@b.tw', `${'m'.repeat(390)}@example.tw`, `${'m'.repeat(395)}@example.tw`), { nil: undefined }),
  mainRemark: fc.option(textUpTo(MIG_LIMITS.mainRemark.max), { nil: undefined }),
  delivery: fc.constantFrom<Partial<InvoiceInput>>({ print: true }, { carrier: { type: '3J0002', id: '/ABC+123' } }, { npoban: '1234567' }, {}),
  lines: fc.array(line, { minLength: 1, maxLength: 4 }),
});

function inputOf(o: Order): InvoiceInput {
  return withDeliveryDefaults({
    billingNo: 'P-1',
    taxType: '1',
    buyer: { ...(o.b2b ? { ban: '53212539' } : {}), name: o.name, address: o.address, email: o.email },
    ...o.delivery,
    mainRemark: o.mainRemark,
    lines: o.lines.map((l) => ({ ...l, amount: l.quantity * l.unitPrice })),
  });
}

const render = (input: InvoiceInput) =>
  renderF0401({
    number: 'AB12345678',
    issuedAt: new Date('2026-01-15T05:00:00Z'),
    randomNumber: '1234',
    seller: { ban: '12345675', name: '賣'.repeat(MIG_LIMITS.name.max), address: '址'.repeat(MIG_LIMITS.address.max) },
    input,
    amounts: computeAmounts(input),
  });

describe('MIG 4.1 limits: what the validator accepts fits every limit, one limit broken is refused', () => {
  test.prop([order], { numRuns: 300 })('an accepted input renders an F0401 within every limit', (o) => {
    const input = inputOf(o);
    fc.pre(validateInvoiceInput(input).length === 0);
    expect(migLimitProblems('F0401', readMigXml(render(input)))).toEqual([]);
  });

  const fields: [string, (input: InvoiceInput, text: string) => void, number][] = [
    ['buyer.name', (input, text) => (input.buyer.name = text), MIG_LIMITS.name.max],
    ['buyer.address', (input, text) => (input.buyer.address = text), MIG_LIMITS.address.max],
    ['buyer.email', (input, text) => (input.buyer.email = `${text}@example.tw`), MIG_LIMITS.emailAddress.max - '@example.tw'.length],
    ['mainRemark', (input, text) => (input.mainRemark = text), MIG_LIMITS.mainRemark.max],
    ['lines[0].description', (input, text) => (input.lines[0].description = text), MIG_LIMITS.description.max],
    ['lines[0].unit', (input, text) => (input.lines[0].unit = text), MIG_LIMITS.unit.max],
    ['lines[0].remark', (input, text) => (input.lines[0].remark = text), MIG_LIMITS.lineRemark.max],
  ];

  test.prop([order, fc.nat({ max: fields.length - 1 }), fc.integer({ min: 1, max: 50 }), fc.constantFrom('x', '茶', '𠮷')], { numRuns: 300 })(
    'an input over any one limit is refused, naming the field and the limit',
    (o, which, over, unit) => {
      const input = inputOf(o);
      fc.pre(validateInvoiceInput(input).length === 0);
      const [field, set, max] = fields[which];
      set(input, unit.repeat(max + over));
      const errors = validateInvoiceInput(input).filter((e) => e.field === field);
      expect(errors).toEqual([expect.objectContaining({ message: expect.stringMatching(new RegExp(`${field === 'buyer.email' ? MIG_LIMITS.emailAddress.max : max}`)) })]);
    },
  );

  test.prop([fc.nat({ max: MIG_LIMITS.items.max + 2 })], { numRuns: 20 })('lines: 1 to 9,999', (count) => {
    const input = inputOf({ b2b: false, name: 'x', address: undefined, email: undefined, mainRemark: undefined, delivery: { print: true }, lines: [] });
    input.lines = Array.from({ length: count }, () => ({ description: '茶', quantity: 1, unitPrice: 1, amount: 1 }));
    const refused = validateInvoiceInput(input).some((e) => e.field === 'lines');
    expect(refused).toBe(count < MIG_LIMITS.items.min || count > MIG_LIMITS.items.max);
  });

  it('decimals: 20 digits, 7 after the point', () => {
    expect(['1234567890123.1234567', '0.1234567', '99999999999999999999', '-1.5'].map(fitsMigDecimal)).toEqual([true, true, true, true]);
    expect(['0.12345678', '123456789012345678901', '1e5', ''].map(fitsMigDecimal)).toEqual([false, false, false, false]);
  });
});
