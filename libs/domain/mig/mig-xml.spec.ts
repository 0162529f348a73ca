import { fc, test } from '@fast-check/jest';
import { DomainError } from '../domain-error';
import { buyerIdentifier, MIG_NAMESPACE } from './mig-fields';
import { checkMigSequence, readMigXml } from './mig-read';
import { appendInOrder, migDate, migDecimal, migDocument, migSequence, migString, migTime } from './mig-xml';

describe('MIG formats', () => {
  it('dates and times are Asia/Taipei', () => {
    const instant = new Date('2026-03-10T16:30:05Z'); // 2026-03-11 00:30:05 in Taipei
    expect(migDate(instant)).toBe('20260311');
    expect(migTime(instant)).toBe('00:30:05');
    expect(migDate(new Date('2026-03-10T15:59:59Z'))).toBe('20260310');
    expect(migTime(new Date('2026-03-10T15:59:59Z'))).toBe('23:59:59');
  });

  test.each([
    [100, '100'],
    [0, '0'],
    [-0, '0'],
    [0.05, '0.05'],
    [1.5, '1.5'],
    [0.1 + 0.2, '0.3'],
    [1e-7, '0.0000001'],
    [33.3333333, '33.3333333'],
    [123456789012, '123456789012'],
    [1e20, '100000000000000000000'],
  ])('decimal %p → %s', (value, expected) => {
    expect(migDecimal(value)).toBe(expected);
  });

  it('refuses decimals it cannot write', () => {
    expect(() => migDecimal(Number.NaN)).toThrow(RangeError);
    expect(() => migDecimal(1e21)).toThrow(RangeError);
  });

  test.prop([fc.double({ min: -1e15, max: 1e15, noNaN: true })])('decimals never have an exponent or trailing zeros', (value) => {
    const text = migDecimal(value);
    expect(text).toMatch(/^-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?$/);
    expect(Math.abs(Number(text) - value)).toBeLessThanOrEqual(5e-8 + Math.abs(value) * 1e-15);
  });

  it('sequence numbers are 3-digit', () => {
    expect(migSequence(1)).toBe('001');
    expect(migSequence(42)).toBe('042');
    expect(migSequence(1000)).toBe('1000');
  });

  test.each([
    [undefined, '0000000000'],
    [null, '0000000000'],
    ['', '0000000000'],
    ['12345675', '12345675'],
  ])('buyerIdentifier(%p) → %s', (ban, expected) => {
    expect(buyerIdentifier(ban)).toBe(expected);
  });

  it('namespace', () => {
    expect(MIG_NAMESPACE('E0402')).toBe('urn:GEINV:eInvoiceMessage:E0402:4.1');
  });
});

describe('appendInOrder', () => {
  it('emits in schema order whatever the key order, and leaves out empty optional elements', () => {
    const { doc, root } = migDocument('F0501');
    appendInOrder(root, 'T', ['A', 'B', 'C', 'D'], ['A'], { D: 'd', C: '', A: 'a', B: undefined });
    const parsed = readMigXml(migString(doc));
    expect(parsed.children.map((c) => c.name)).toEqual(['A', 'D']);
  });

  it('refuses a missing required element with a DomainError', () => {
    const { root } = migDocument('F0501');
    expect(() => appendInOrder(root, 'T', ['A', 'B'], ['B'], { A: 'a' })).toThrow(DomainError);
    try {
      appendInOrder(root, 'T', ['A', 'B'], ['B'], { B: '' });
    } catch (error) {
      expect((error as DomainError).code).toBe('MIG.REQUIRED_MISSING');
    }
  });

  it('refuses an element that is not in the order (a programming error)', () => {
    const { root } = migDocument('F0501');
    expect(() => appendInOrder(root, 'T', ['A'], [], { Z: 'z' })).toThrow(/not in the element order/);
  });
});

describe('checkMigSequence', () => {
  const parse = (inner: string) => readMigXml(`<R xmlns="urn:x">${inner}</R>`);
  it('accepts a conforming sequence', () => {
    expect(checkMigSequence(parse('<A>1</A><C>3</C>'), ['A', 'B', 'C'], ['A'])).toEqual([]);
  });
  it('finds out-of-order, repeated, unexpected and missing elements', () => {
    expect(checkMigSequence(parse('<C>3</C><A>1</A><A>1</A><Z/>'), ['A', 'B', 'C'], ['B'])).toEqual([
      'R: A is out of order or repeated',
      'R: A is out of order or repeated',
      'R: unexpected element Z',
      'R: required B is missing or empty',
    ]);
  });
});
