import { fc, test } from '@fast-check/jest';
import { banChecksumSum, isValidBan } from './ban';

/** The SPEC rule, written independently: weights 1,2,1,2,1,2,4,1; add the digits of each product. */
const SPEC_WEIGHTS = [1, 2, 1, 2, 1, 2, 4, 1];
const digitSum = (n: number): number => [...String(n)].reduce((sum, d) => sum + Number(d), 0);
const specSum = (ban: string): number => SPEC_WEIGHTS.reduce((sum, w, i) => sum + digitSum(Number(ban[i]) * w), 0);
const specValid = (ban: string): boolean =>
  /^[0-9]{8}$/.test(ban) && (specSum(ban) % 5 === 0 || (ban[6] === '7' && (specSum(ban) + 1) % 5 === 0));

const digit = fc.integer({ min: 0, max: 9 });
const digits = (n: number) => fc.array(digit, { minLength: n, maxLength: n });

/** A valid BAN whose 7th digit is not 7: 7 leading digits plus one of the two last digits that fix the sum. */
const validBanNot7 = fc
  .tuple(digits(7), fc.integer({ min: 0, max: 1 }))
  .filter(([head]) => head[6] !== 7)
  .map(([head, pick]) => {
    const sum = specSum(`${head.join('')}0`);
    return `${head.join('')}${((5 - (sum % 5)) % 5) + 5 * pick}`;
  });

describe('isValidBan', () => {
  test.each(['12345675', '04595257', '53212539', '22099131', '10458575'])('accepts %s', (ban) => {
    expect(isValidBan(ban)).toBe(true);
  });

  test.each(['12345678', '12345677', '04595258', '53212530'])('rejects %s (checksum)', (ban) => {
    expect(isValidBan(ban)).toBe(false);
  });

  test.each(['', '1234567', '123456789', '1234567a', ' 12345675', '12345675 ', '1234-675', '１２３４５６７５'])(
    'rejects malformed %j',
    (ban) => {
      expect(isValidBan(ban)).toBe(false);
    },
  );

  it('accepts numbers valid under the pre-2023 rule (sum divisible by 10) and the new one (by 5)', () => {
    expect(banChecksumSum('04595257')).toBe(40);
    expect(banChecksumSum('53212539')).toBe(30);
    // sum 35: divisible by 5 but not by 10, so valid only since 2023-04-01
    expect(banChecksumSum('12345665')).toBe(35);
    expect(isValidBan('12345665')).toBe(true);
  });

  describe('7th digit is 7 (its product 28 may count as 2+8=10 or as 1+0=1)', () => {
    it('accepts when sum + 1 is divisible by 5 but the sum is not', () => {
      expect(banChecksumSum('12345675')).toBe(39);
      expect(isValidBan('12345675')).toBe(true);
      expect(banChecksumSum('10458574')).toBe(29);
      expect(isValidBan('10458574')).toBe(true);
    });

    it('accepts when the sum itself is divisible by 5', () => {
      expect(banChecksumSum('10458575')).toBe(30);
      expect(isValidBan('10458575')).toBe(true);
    });

    it('rejects when neither sum nor sum + 1 is divisible by 5', () => {
      expect(banChecksumSum('10458573')).toBe(28);
      expect(isValidBan('10458573')).toBe(false);
    });

    it('does not grant the +1 to other 7th digits', () => {
      // same sum residue (4) as 12345675, but the 7th digit is 8
      expect(banChecksumSum('12345685')).toBe(34);
      expect(isValidBan('12345685')).toBe(false);
    });
  });
});

describe('isValidBan properties', () => {
  test.prop([digits(7)])('of the 10 possible last digits, 2 are valid (4 when the 7th digit is 7)', (head) => {
    const valid = [...Array(10).keys()].filter((last) => isValidBan(`${head.join('')}${last}`));
    expect(valid).toHaveLength(head[6] === 7 ? 4 : 2);
  });

  test.prop([fc.oneof(digits(8).map((d) => d.join('')), fc.string({ maxLength: 10 }))])(
    'agrees with a reference implementation of the SPEC rule',
    (ban) => {
      expect(isValidBan(ban)).toBe(specValid(ban));
    },
  );

  /*
   * Changing digit i from a to b changes the sum by digitSum(b·w) − digitSum(a·w); the number stays valid exactly
   * when that difference is a multiple of 5. Weight 1 (1st, 3rd, 5th, 8th digit): only a change by ±5 survives.
   * Weight 2 (2nd, 4th, 6th): only the pairs 0↔7, 1↔8, 2↔9, 3↔5, 4↔6 survive. So a ±1 typo there is always caught.
   */
  const WEIGHT_2_TWINS: Record<number, number> = { 0: 7, 7: 0, 1: 8, 8: 1, 2: 9, 9: 2, 3: 5, 5: 3, 4: 6, 6: 4 };

  test.prop([validBanNot7, fc.constantFrom(0, 1, 2, 3, 4, 5, 7), digit])(
    'changing one digit other than the 7th keeps it valid only for the twin digit of its weight',
    (ban, position, replacement) => {
      const original = Number(ban[position]);
      fc.pre(replacement !== original);
      const changed = ban.slice(0, position) + replacement + ban.slice(position + 1);
      const twin = SPEC_WEIGHTS[position] === 1 ? (original + 5) % 10 : WEIGHT_2_TWINS[original];
      expect(isValidBan(changed)).toBe(replacement === twin);
    },
  );

  test.prop([validBanNot7, digit])('changing the 7th digit keeps it valid only when 4·digit sums agree mod 5', (ban, replacement) => {
    const original = Number(ban[6]);
    fc.pre(replacement !== original && replacement !== 7);
    const changed = ban.slice(0, 6) + replacement + ban.slice(7);
    expect(isValidBan(changed)).toBe((digitSum(replacement * 4) - digitSum(original * 4)) % 5 === 0);
  });

  test.prop([validBanNot7, fc.integer({ min: 0, max: 7 })])('changing a digit by ±1 at a weight-1 or weight-2 position is caught', (ban, position) => {
    fc.pre(position !== 6);
    const d = Number(ban[position]);
    for (const replacement of [d - 1, d + 1].filter((r) => r >= 0 && r <= 9)) {
      expect(isValidBan(ban.slice(0, position) + replacement + ban.slice(position + 1))).toBe(false);
    }
  });
});
