import { fc, test } from '@fast-check/jest';
import { exactSum, roundedSum, roundHalfUp, toScaled } from './money';

describe('roundHalfUp', () => {
  test.each([
    [2.5, 3],
    [0.5, 1],
    [1.4999999, 1],
    [52.49999999, 53],
    [52.49999999999999, 53],
    [1049.999999999 * 0.05, 53],
    [-2.5, -2],
    [0, 0],
    [7, 7],
  ])('%p → %p', (value, expected) => {
    expect(roundHalfUp(value)).toBe(expected);
  });

  it('rejects values that are not amounts', () => {
    expect(() => roundHalfUp(Number.NaN)).toThrow(RangeError);
    expect(() => roundHalfUp(Infinity)).toThrow(RangeError);
  });

  test.prop([fc.integer({ min: 0, max: 10 ** 12 }), fc.integer({ min: 0, max: 99 })])(
    'matches integer round half up for whole cents',
    (whole, cents) => {
      const value = whole + cents / 100;
      expect(roundHalfUp(value)).toBe(cents >= 50 ? whole + 1 : whole);
    },
  );
});

describe('roundedSum / exactSum', () => {
  it('sums decimals exactly before rounding', () => {
    expect(Math.round(1.4 - 0.9)).toBe(0); // binary floating point gives 0.4999999999999999
    expect(roundedSum([1.4, -0.9])).toBe(1);
    expect(roundHalfUp(0.145 * 100)).toBe(15);
    expect(roundedSum([0.1, 0.2, 2.2])).toBe(3);
    expect(exactSum([0.1, 0.2])).toBe(0.3);
    expect(exactSum([])).toBe(0);
    expect(exactSum([-1.25, 0.5])).toBe(-0.75);
  });

  it('scales to 7 places', () => {
    expect(toScaled(1.5)).toBe(15_000_000n);
    expect(toScaled(-0.0000001)).toBe(-1n);
  });

  test.prop([fc.array(fc.integer({ min: 0, max: 10 ** 9 }), { maxLength: 50 })])(
    'sums of cents round like integer arithmetic',
    (cents) => {
      const total = cents.reduce((a, b) => a + b, 0);
      expect(roundedSum(cents.map((c) => c / 100))).toBe(Math.floor((total + 50) / 100));
    },
  );
});
