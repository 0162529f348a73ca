/** Port for randomness; the adapter (node:crypto randomInt) lives outside libs/domain, tests pass a fake. */
export interface RandomSource {
  /** A uniformly distributed integer in [0, maxExclusive). */
  randomInt(maxExclusive: number): number;
}

/** The 4-digit random number (隨機碼) printed on the invoice and sent as RandomNumber. */
export function invoiceRandomNumber(source: RandomSource): string {
  const value = source.randomInt(10000);
  // A broken adapter must not produce a code the platform rejects or a printout cannot show.
  if (!Number.isInteger(value) || value < 0 || value > 9999) {
    throw new RangeError(`random source returned ${value}, expected an integer 0..9999`);
  }
  return String(value).padStart(4, '0');
}
