import { fc, test } from '@fast-check/jest';
import { invoiceRandomNumber, RandomSource } from './random-number';

const fixed = (value: number): RandomSource & { asked: number[] } => {
  const asked: number[] = [];
  return { asked, randomInt: (max) => (asked.push(max), value) };
};

describe('invoiceRandomNumber', () => {
  test.each([
    [0, '0000'],
    [7, '0007'],
    [123, '0123'],
    [9999, '9999'],
  ])('%p → %s', (value, expected) => {
    expect(invoiceRandomNumber(fixed(value))).toBe(expected);
  });

  it('asks the source for a number below 10000', () => {
    const source = fixed(5);
    invoiceRandomNumber(source);
    expect(source.asked).toEqual([10000]);
  });

  test.each([10000, -1, 1.5, Number.NaN])('refuses a broken source returning %p', (value) => {
    expect(() => invoiceRandomNumber(fixed(value))).toThrow(RangeError);
  });

  test.prop([fc.integer({ min: 0, max: 9999 })])('always 4 digits, same value', (value) => {
    const code = invoiceRandomNumber(fixed(value));
    expect(code).toMatch(/^[0-9]{4}$/);
    expect(Number(code)).toBe(value);
  });
});
