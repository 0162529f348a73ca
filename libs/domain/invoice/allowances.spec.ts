import { fc, test } from '@fast-check/jest';
import { DomainError } from '../domain-error';
import {
  AllowanceLine,
  AllowanceLineFact,
  AllowanceRequest,
  ExistingAllowance,
  allowanceItemMoney,
  planAllowance,
  remainingByLine,
  remainingByTaxType,
} from './allowances';
import { LineTaxType } from './invoice.types';

function fact(amount: number, taxType: LineTaxType = '1', quantity = 1, description = `item ${amount}`): AllowanceLineFact {
  return { description, quantity, unitPrice: amount / quantity, amount, taxType };
}

function allowance(number: string, lines: AllowanceLine[], live = true): ExistingAllowance {
  return { number, live, lines };
}

function thrown(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error('expected planAllowance to throw');
}

/** An invoice with three lines: taxable 1000 (qty 2), zero-rated 500 (qty 1), exempt 300 (qty 3). */
const invoice: AllowanceLineFact[] = [fact(1000, '1', 2, 'Widget'), fact(500, '2', 1, 'Export'), fact(300, '3', 3, 'Book')];

describe('remainingByLine / remainingByTaxType', () => {
  it('is the invoice itself without allowances', () => {
    expect(remainingByLine(invoice, [])).toEqual([1000, 500, 300]);
    expect(remainingByTaxType(invoice, [])).toEqual({ '1': 1000, '2': 500, '3': 300 });
  });

  it('subtracts every live allowance, line by line and per tax type', () => {
    const existing = [
      allowance('AL1', [{ lineIndex: 0, quantity: 1, amount: 400 }]),
      allowance('AL2', [
        { lineIndex: 0, quantity: 1, amount: 100 },
        { lineIndex: 2, quantity: 1, amount: 50 },
      ]),
    ];
    expect(remainingByLine(invoice, existing)).toEqual([500, 500, 250]);
    expect(remainingByTaxType(invoice, existing)).toEqual({ '1': 500, '2': 500, '3': 250 });
  });

  it('no longer counts voided allowances (live: false)', () => {
    const existing = [
      allowance('AL1', [{ lineIndex: 0, quantity: 1, amount: 400 }], false),
      allowance('AL2', [{ lineIndex: 1, quantity: 1, amount: 500 }], false),
      allowance('AL3', [{ lineIndex: 2, quantity: 1, amount: 100 }]),
    ];
    expect(remainingByLine(invoice, existing)).toEqual([1000, 500, 200]);
    expect(remainingByTaxType(invoice, existing)).toEqual({ '1': 1000, '2': 500, '3': 200 });
  });

  it('sums decimal amounts exactly (no binary floating-point noise)', () => {
    const lines = [fact(0.3)];
    const existing = [allowance('AL1', [{ lineIndex: 0, quantity: 1, amount: 0.1 }]), allowance('AL2', [{ lineIndex: 0, quantity: 1, amount: 0.2 }])];
    expect(remainingByLine(lines, existing)).toEqual([0]);
    expect(() => planAllowance(lines, existing, { whole: true })).toThrow(DomainError);
  });

  it('sums several lines of one tax type', () => {
    const lines = [fact(100, '1'), fact(200, '3'), fact(300, '1')];
    const existing = [allowance('AL1', [{ lineIndex: 2, quantity: 1, amount: 50 }])];
    expect(remainingByTaxType(lines, existing)).toEqual({ '1': 350, '2': 0, '3': 200 });
  });
});

describe('planAllowance: refusals', () => {
  const partial = (lines: { lineIndex: number; quantity?: number; amount: number }[]): AllowanceRequest => ({ lines });

  test.each<[string, AllowanceRequest, string, string]>([
    ['a line index past the end', partial([{ lineIndex: 3, amount: 10 }]), 'ALLOWANCE.NO_SUCH_LINE', 'lines[0].line'],
    ['a negative line index', partial([{ lineIndex: -1, amount: 10 }]), 'ALLOWANCE.NO_SUCH_LINE', 'lines[0].line'],
    ['a fractional line index', partial([{ lineIndex: 0.5, amount: 10 }]), 'ALLOWANCE.NO_SUCH_LINE', 'lines[0].line'],
    [
      'a repeated line',
      partial([
        { lineIndex: 0, amount: 10 },
        { lineIndex: 0, amount: 20 },
      ]),
      'ALLOWANCE.LINE_REPEATED',
      'lines[1].line',
    ],
    ['amount 0', partial([{ lineIndex: 0, amount: 0 }]), 'ALLOWANCE.AMOUNT_INVALID', 'lines[0].amount'],
    ['a negative amount', partial([{ lineIndex: 1, amount: -5 }]), 'ALLOWANCE.AMOUNT_INVALID', 'lines[0].amount'],
    ['a NaN amount', partial([{ lineIndex: 1, amount: Number.NaN }]), 'ALLOWANCE.AMOUNT_INVALID', 'lines[0].amount'],
    ['an infinite amount', partial([{ lineIndex: 1, amount: Number.POSITIVE_INFINITY }]), 'ALLOWANCE.AMOUNT_INVALID', 'lines[0].amount'],
    ['a quantity above the line quantity', partial([{ lineIndex: 0, quantity: 3, amount: 10 }]), 'ALLOWANCE.QUANTITY_INVALID', 'lines[0].quantity'],
    ['quantity 0', partial([{ lineIndex: 0, quantity: 0, amount: 10 }]), 'ALLOWANCE.QUANTITY_INVALID', 'lines[0].quantity'],
    ['a negative quantity', partial([{ lineIndex: 2, quantity: -1, amount: 10 }]), 'ALLOWANCE.QUANTITY_INVALID', 'lines[0].quantity'],
    ['no lines at all', partial([]), 'ALLOWANCE.NO_LINES', 'lines'],
  ])('refuses %s as invalid', (_name, request, detailCode, field) => {
    const error = thrown(() => planAllowance(invoice, [], request));
    expect(error.kind).toBe('invalid');
    expect(error.code).toBe('ALLOWANCE.INVALID');
    expect(error.details).toEqual(expect.arrayContaining([expect.objectContaining({ code: detailCode, field })]));
  });

  it('names the line count when the index is out of range', () => {
    const error = thrown(() => planAllowance(invoice, [], { lines: [{ lineIndex: 7, amount: 1 }] }));
    expect(error.message).toContain('1–3');
  });

  it('names the line quantity when the quantity is too large', () => {
    const error = thrown(() => planAllowance(invoice, [], { lines: [{ lineIndex: 2, quantity: 4, amount: 1 }] }));
    expect(error.message).toContain('at most 3');
  });

  it('reports every problem of a request at once', () => {
    const error = thrown(() =>
      planAllowance(invoice, [], {
        lines: [
          { lineIndex: 5, amount: 1 },
          { lineIndex: 0, amount: 0 },
          { lineIndex: 0, quantity: 9, amount: 1 },
        ],
      }),
    );
    expect(error.code).toBe('ALLOWANCE.INVALID');
    expect(error.details.map((d) => d.code)).toEqual(['ALLOWANCE.NO_SUCH_LINE', 'ALLOWANCE.AMOUNT_INVALID', 'ALLOWANCE.LINE_REPEATED', 'ALLOWANCE.QUANTITY_INVALID']);
  });

  test.each<[string, ExistingAllowance[], number, number]>([
    ['an untouched line', [], 1000.01, 1000],
    ['a partly allowed line', [allowance('AL1', [{ lineIndex: 0, quantity: 1, amount: 940 }])], 61, 60],
    [
      'a line allowed by several allowances',
      [allowance('AL1', [{ lineIndex: 0, quantity: 1, amount: 300 }]), allowance('AL2', [{ lineIndex: 0, quantity: 1, amount: 650 }])],
      70,
      50,
    ],
  ])('refuses more than %s has left, as a conflict naming what is left', (_name, existing, asked, left) => {
    const error = thrown(() => planAllowance(invoice, existing, { lines: [{ lineIndex: 0, amount: asked }] }));
    expect(error.kind).toBe('conflict');
    expect(error.code).toBe('ALLOWANCE.EXCEEDS_LINE');
    expect(error.message).toContain(`has ${left} left to allow, not ${asked}`);
    expect(error.message).toContain('line 1 (Widget)');
    expect(error.details).toEqual([expect.objectContaining({ code: 'ALLOWANCE.EXCEEDS_LINE', field: 'lines[0].amount' })]);
  });

  it('accepts exactly what a line has left', () => {
    const existing = [allowance('AL1', [{ lineIndex: 0, quantity: 1, amount: 940 }])];
    expect(planAllowance(invoice, existing, { lines: [{ lineIndex: 0, amount: 60 }] })).toEqual([{ lineIndex: 0, quantity: 2, amount: 60 }]);
  });

  it('prefers the conflict code when a request is both invalid and too large', () => {
    const error = thrown(() =>
      planAllowance(invoice, [], {
        lines: [
          { lineIndex: 9, amount: 1 },
          { lineIndex: 1, amount: 501 },
        ],
      }),
    );
    expect(error.kind).toBe('conflict');
    expect(error.code).toBe('ALLOWANCE.EXCEEDS_LINE');
    expect(error.details.map((d) => d.code)).toEqual(['ALLOWANCE.NO_SUCH_LINE', 'ALLOWANCE.EXCEEDS_LINE']);
  });

  it('refuses beyond the invoice per tax type (ALLOWANCE.EXCEEDS_INVOICE) when existing allowances already overdrew a line', () => {
    // Inconsistent history: line 2 was allowed beyond its amount, so the taxable remainder (100 + 100 - 150 = 50) is
    // below line 1's own remainder (100). The per-tax-type check must still hold the line to the invoice total.
    const lines = [fact(100, '1'), fact(100, '1')];
    const existing = [allowance('AL1', [{ lineIndex: 1, quantity: 1, amount: 150 }])];
    const error = thrown(() => planAllowance(lines, existing, { lines: [{ lineIndex: 0, amount: 100 }] }));
    expect(error.kind).toBe('conflict');
    expect(error.code).toBe('ALLOWANCE.EXCEEDS_INVOICE');
    expect(error.message).toContain('allowance of 100 exceeds the 50 remaining');
  });

  it('refuses a whole allowance when nothing is left (ALLOWANCE.NOTHING_LEFT)', () => {
    const existing = [
      allowance('AL1', [
        { lineIndex: 0, quantity: 2, amount: 1000 },
        { lineIndex: 1, quantity: 1, amount: 500 },
      ]),
      allowance('AL2', [{ lineIndex: 2, quantity: 3, amount: 300 }]),
    ];
    const error = thrown(() => planAllowance(invoice, existing, { whole: true }));
    expect(error.kind).toBe('conflict');
    expect(error.code).toBe('ALLOWANCE.NOTHING_LEFT');
  });

  it('refuses a whole allowance of an invoice without lines', () => {
    expect(thrown(() => planAllowance([], [], { whole: true })).code).toBe('ALLOWANCE.NOTHING_LEFT');
  });

  it('refuses a partial allowance on a fully allowed line', () => {
    const existing = [allowance('AL1', [{ lineIndex: 1, quantity: 1, amount: 500 }])];
    const error = thrown(() => planAllowance(invoice, existing, { lines: [{ lineIndex: 1, amount: 1 }] }));
    expect(error.code).toBe('ALLOWANCE.EXCEEDS_LINE');
    expect(error.message).toContain('has 0 left to allow, not 1');
  });
});

describe('planAllowance: mixed tax types', () => {
  const mixed: AllowanceLineFact[] = [fact(10000, '1', 1, 'Laptop'), fact(100, '3', 1, 'Newspaper')];

  it('holds an exempt line to the exempt remainder even when the taxable remainder is large', () => {
    const error = thrown(() => planAllowance(mixed, [], { lines: [{ lineIndex: 1, amount: 101 }] }));
    expect(error.code).toMatch(/^ALLOWANCE\.EXCEEDS_/);
    expect(error.kind).toBe('conflict');
    expect(error.message).toContain('100');
  });

  it('holds an exempt line to the exempt remainder after earlier allowances', () => {
    const existing = [allowance('AL1', [{ lineIndex: 1, quantity: 1, amount: 80 }])];
    expect(remainingByTaxType(mixed, existing)).toEqual({ '1': 10000, '2': 0, '3': 20 });
    expect(thrown(() => planAllowance(mixed, existing, { lines: [{ lineIndex: 1, amount: 21 }] })).kind).toBe('conflict');
    expect(planAllowance(mixed, existing, { lines: [{ lineIndex: 1, amount: 20 }] })).toEqual([{ lineIndex: 1, quantity: 1, amount: 20 }]);
  });

  it('accepts allowances on both tax types in one request, each within its remainder', () => {
    expect(
      planAllowance(mixed, [], {
        lines: [
          { lineIndex: 0, amount: 5000 },
          { lineIndex: 1, quantity: 1, amount: 100 },
        ],
      }),
    ).toEqual([
      { lineIndex: 0, quantity: 1, amount: 5000 },
      { lineIndex: 1, quantity: 1, amount: 100 },
    ]);
  });
});

describe('planAllowance: voided allowances', () => {
  it('lets a line be allowed again once its allowance is voided', () => {
    const full = allowance('AL1', [{ lineIndex: 0, quantity: 2, amount: 1000 }]);
    expect(thrown(() => planAllowance(invoice, [full], { lines: [{ lineIndex: 0, amount: 1 }] })).code).toBe('ALLOWANCE.EXCEEDS_LINE');
    const voided = { ...full, live: false };
    expect(planAllowance(invoice, [voided], { lines: [{ lineIndex: 0, amount: 1000 }] })).toEqual([{ lineIndex: 0, quantity: 2, amount: 1000 }]);
  });

  it('allows the whole invoice again when every allowance is voided', () => {
    const existing = [
      allowance('AL1', [{ lineIndex: 0, quantity: 2, amount: 1000 }], false),
      allowance('AL2', [{ lineIndex: 1, quantity: 1, amount: 500 }], false),
      allowance('AL3', [{ lineIndex: 2, quantity: 3, amount: 300 }], false),
    ];
    expect(planAllowance(invoice, existing, { whole: true })).toEqual([
      { lineIndex: 0, quantity: 2, amount: 1000 },
      { lineIndex: 1, quantity: 1, amount: 500 },
      { lineIndex: 2, quantity: 3, amount: 300 },
    ]);
  });
});

describe('planAllowance: whole allowance', () => {
  it('returns exactly the remainders of the lines with something left', () => {
    const lines = [fact(1000, '1', 2), fact(500, '2', 1), fact(300, '3', 3), fact(40.5, '1', 1)];
    const existing = [
      allowance('AL1', [
        { lineIndex: 0, quantity: 1, amount: 250 },
        { lineIndex: 1, quantity: 1, amount: 500 },
      ]),
      allowance('AL2', [{ lineIndex: 3, quantity: 1, amount: 0.25 }]),
      allowance('AL3', [{ lineIndex: 2, quantity: 3, amount: 300 }], false),
    ];
    expect(planAllowance(lines, existing, { whole: true })).toEqual([
      { lineIndex: 0, quantity: 2, amount: 750 },
      { lineIndex: 2, quantity: 3, amount: 300 },
      { lineIndex: 3, quantity: 1, amount: 40.25 },
    ]);
  });

  it('returns the whole invoice when nothing was allowed yet', () => {
    expect(planAllowance(invoice, [], { whole: true })).toEqual([
      { lineIndex: 0, quantity: 2, amount: 1000 },
      { lineIndex: 1, quantity: 1, amount: 500 },
      { lineIndex: 2, quantity: 3, amount: 300 },
    ]);
  });

  it('is accepted with whole: false treated as a partial request', () => {
    expect(planAllowance(invoice, [], { whole: false, lines: [{ lineIndex: 2, amount: 30 }] })).toEqual([{ lineIndex: 2, quantity: 3, amount: 30 }]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Properties

const TAX_TYPES: LineTaxType[] = ['1', '2', '3'];

const invoiceArb = fc
  .array(
    fc.record({
      amount: fc.integer({ min: 1, max: 10000 }),
      taxType: fc.constantFrom<LineTaxType>(...TAX_TYPES),
      quantity: fc.integer({ min: 1, max: 10 }),
    }),
    { minLength: 1, maxLength: 5 },
  )
  .map((rows) => rows.map((r, i) => fact(r.amount, r.taxType, r.quantity, `line ${i + 1}`)));

type Op = { kind: 'request'; lines: { lineIndex: number; amount: number; quantity?: number }[] } | { kind: 'void'; pick: number };

/** Requests on an invoice of `lineCount` lines: mostly its own lines, sometimes one past the end, to mix refusals in. */
function opArb(lineCount: number): fc.Arbitrary<Op> {
  const requestLine = fc.record(
    {
      lineIndex: fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: lineCount - 1 }) }, { weight: 1, arbitrary: fc.integer({ min: lineCount, max: lineCount + 1 }) }),
      amount: fc.oneof(
        { weight: 2, arbitrary: fc.integer({ min: 1, max: 10000 }) },
        { weight: 4, arbitrary: fc.integer({ min: 1, max: 300 }) },
        { weight: 1, arbitrary: fc.integer({ min: -5, max: 0 }) },
      ),
      quantity: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 3 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 11 }) }),
    },
    { requiredKeys: ['lineIndex', 'amount'] },
  );
  return fc.oneof(
    { weight: 5, arbitrary: fc.array(requestLine, { minLength: 1, maxLength: 3 }).map((lines): Op => ({ kind: 'request', lines })) },
    { weight: 1, arbitrary: fc.nat().map((pick): Op => ({ kind: 'void', pick })) },
  );
}

const scenarioArb = invoiceArb.chain((lines) => fc.tuple(fc.constant(lines), fc.array(opArb(lines.length), { minLength: 1, maxLength: 25, size: 'medium' })));

const sumByType = (lines: AllowanceLineFact[], pick: (line: AllowanceLineFact, index: number) => number) =>
  Object.fromEntries(TAX_TYPES.map((t) => [t, lines.reduce((acc, line, i) => acc + (line.taxType === t ? pick(line, i) : 0), 0)])) as Record<LineTaxType, number>;

/** Integer-only model of which partial requests must be accepted. */
function modelAccepts(lines: AllowanceLineFact[], left: number[], request: Op & { kind: 'request' }): boolean {
  const seen = new Set<number>();
  return request.lines.every((l) => {
    if (l.lineIndex >= lines.length || seen.has(l.lineIndex)) return false;
    seen.add(l.lineIndex);
    if (l.amount <= 0 || l.amount > left[l.lineIndex]) return false;
    return l.quantity === undefined || (l.quantity > 0 && l.quantity <= lines[l.lineIndex].quantity);
  });
}

describe('planAllowance properties', () => {
  test.prop([scenarioArb], { numRuns: 200 })(
    'accepted allowances never drive a line or a tax type below 0, nor beyond the invoice per tax type',
    ([lines, ops]) => {
      const existing: ExistingAllowance[] = [];
      const invoiceByType = sumByType(lines, (line) => line.amount);
      for (const op of ops) {
        if (op.kind === 'void') {
          const live = existing.filter((a) => a.live);
          if (live.length > 0) live[op.pick % live.length].live = false;
        } else {
          const expected = modelAccepts(lines, remainingByLine(lines, existing), op);
          let planned: AllowanceLine[] | undefined;
          try {
            planned = planAllowance(lines, existing, { lines: op.lines });
          } catch (error) {
            expect(error).toBeInstanceOf(DomainError);
          }
          expect(planned !== undefined).toBe(expected);
          if (planned) existing.push(allowance(`AL${existing.length + 1}`, planned));
        }
        const left = remainingByLine(lines, existing);
        for (const value of left) expect(value).toBeGreaterThanOrEqual(0);
        const leftByType = remainingByTaxType(lines, existing);
        const allowedByType = sumByType(lines, (_line, i) =>
          existing.filter((a) => a.live).reduce((acc, a) => acc + a.lines.filter((l) => l.lineIndex === i).reduce((s, l) => s + l.amount, 0), 0),
        );
        for (const t of TAX_TYPES) {
          expect(leftByType[t]).toBeGreaterThanOrEqual(0);
          expect(allowedByType[t]).toBeLessThanOrEqual(invoiceByType[t]);
          expect(leftByType[t] + allowedByType[t]).toBe(invoiceByType[t]);
        }
      }
    },
  );

  test.prop([invoiceArb, fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: 10000 })), { maxLength: 8 })])(
    'after a whole allowance nothing is left, and a second whole allowance is refused',
    (lines, partials) => {
      const existing: ExistingAllowance[] = [];
      for (const [lineIndex, amount] of partials) {
        try {
          existing.push(allowance(`AL${existing.length + 1}`, planAllowance(lines, existing, { lines: [{ lineIndex, amount }] })));
        } catch (error) {
          expect(error).toBeInstanceOf(DomainError);
        }
      }
      const before = remainingByLine(lines, existing);
      if (before.every((amount) => amount === 0)) {
        // The partial allowances already took everything: a whole allowance has nothing to allow.
        expect(thrown(() => planAllowance(lines, existing, { whole: true })).code).toBe('ALLOWANCE.NOTHING_LEFT');
        return;
      }
      const whole = planAllowance(lines, existing, { whole: true });
      expect(whole).toEqual(
        before.flatMap((amount, lineIndex) => (amount > 0 ? [{ lineIndex, quantity: lines[lineIndex].quantity, amount }] : [])),
      );
      existing.push(allowance('WHOLE', whole));
      expect(remainingByLine(lines, existing)).toEqual(lines.map(() => 0));
      expect(remainingByTaxType(lines, existing)).toEqual({ '1': 0, '2': 0, '3': 0 });
      expect(thrown(() => planAllowance(lines, existing, { whole: true })).code).toBe('ALLOWANCE.NOTHING_LEFT');
    },
  );
});

describe('allowanceItemMoney', () => {
  test.each<[number, LineTaxType, boolean, { untaxed: number; tax: number }]>([
    [105, '1', false, { untaxed: 100, tax: 5 }],
    [100, '1', false, { untaxed: 95, tax: 5 }],
    [10, '1', false, { untaxed: 10, tax: 0 }],
    [11, '1', false, { untaxed: 10, tax: 1 }],
    [100, '1', true, { untaxed: 100, tax: 5 }],
    [10, '1', true, { untaxed: 10, tax: 1 }],
    [30, '1', true, { untaxed: 30, tax: 2 }],
    [9, '1', true, { untaxed: 9, tax: 0 }],
    [500, '2', false, { untaxed: 500, tax: 0 }],
    [500, '2', true, { untaxed: 500, tax: 0 }],
    [300, '3', false, { untaxed: 300, tax: 0 }],
    [300, '3', true, { untaxed: 300, tax: 0 }],
  ])('amount %d, tax type %s, b2b %s → %j', (amount, taxType, b2b, expected) => {
    expect(allowanceItemMoney(amount, taxType, b2b)).toEqual(expected);
  });

  // Oracles in exact integer arithmetic: round half up of amount / 1.05 = floor((200 a + 105) / 210);
  // round half up of a × 5% = floor((5 a + 50) / 100).
  test.prop([fc.integer({ min: 0, max: 100_000_000 })])('B2C taxable: untaxed + tax = amount and tax = amount − round(amount / 1.05)', (amount) => {
    const { untaxed, tax } = allowanceItemMoney(amount, '1', false);
    expect(untaxed + tax).toBe(amount);
    expect(tax).toBe(amount - Math.floor((200 * amount + 105) / 210));
    expect(Number.isInteger(tax)).toBe(true);
  });

  test.prop([fc.integer({ min: 0, max: 100_000_000 })])('B2B taxable: untaxed = amount and tax = round(amount × 5%)', (amount) => {
    expect(allowanceItemMoney(amount, '1', true)).toEqual({ untaxed: amount, tax: Math.floor((5 * amount + 50) / 100) });
  });

  test.prop([fc.integer({ min: 0, max: 100_000_000 }), fc.constantFrom<LineTaxType>('2', '3'), fc.boolean()])(
    'zero-rated and exempt lines carry no tax',
    (amount, taxType, b2b) => {
      expect(allowanceItemMoney(amount, taxType, b2b)).toEqual({ untaxed: amount, tax: 0 });
    },
  );
});
