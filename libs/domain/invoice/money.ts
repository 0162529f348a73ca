/**
 * Money arithmetic on exact decimals. MIG amounts carry at most 7 fraction digits, so every number is read as a
 * decimal with 7 places (which also removes binary floating-point noise such as 52.49999999999 for 52.5) and summed
 * and rounded as a scaled bigint.
 */
const FRACTION_DIGITS = 7;
const SCALE = 10n ** BigInt(FRACTION_DIGITS);
/** From here on toFixed switches to exponent notation. */
const MAX_MAGNITUDE = 1e21;

/** The value × 10^7 as a bigint; throws RangeError for values that are not finite or too large to be money. */
export function toScaled(value: number): bigint {
  if (!Number.isFinite(value) || Math.abs(value) >= MAX_MAGNITUDE) {
    throw new RangeError(`not a usable amount: ${value}`);
  }
  const [whole, fraction] = Math.abs(value).toFixed(FRACTION_DIGITS).split('.');
  const scaled = BigInt(whole) * SCALE + BigInt(fraction);
  return value < 0 ? -scaled : scaled;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** Round half up (2.5 → 3, −2.5 → −2) of the exact decimal sum of the values. */
export function roundedSum(values: readonly number[]): number {
  const sum = values.reduce((acc, v) => acc + toScaled(v), 0n);
  return Number(floorDiv(sum + SCALE / 2n, SCALE));
}

/** Round half up to a whole dollar, reading the value as a 7-place decimal first. */
export function roundHalfUp(value: number): number {
  return roundedSum([value]);
}

/** The exact decimal sum, as a number (for rendering sums of amounts that may carry cents). */
export function exactSum(values: readonly number[]): number {
  const sum = values.reduce((acc, v) => acc + toScaled(v), 0n);
  const negative = sum < 0n;
  const abs = negative ? -sum : sum;
  const text = `${abs / SCALE}.${String(abs % SCALE).padStart(FRACTION_DIGITS, '0')}`;
  return Number(negative ? `-${text}` : text);
}
