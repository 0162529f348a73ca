const WEIGHTS = [1, 2, 1, 2, 1, 2, 4, 1];

/** Sum of the digit sums of each digit × weight, the quantity the BAN checksum is tested on. */
export function banChecksumSum(ban: string): number {
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const product = Number(ban[i]) * WEIGHTS[i];
    sum += Math.floor(product / 10) + (product % 10);
  }
  return sum;
}

/**
 * Taiwan business administration number (統一編號): 8 digits whose weighted digit sum is divisible by 5
 * (the rule since 2023-04-01; it was 10 before, so every old number still passes). When the 7th digit is 7
 * its product 28 may count as 10 or 11, so sum + 1 divisible by 5 is also valid.
 */
export function isValidBan(ban: string): boolean {
  if (!/^\d{8}$/.test(ban)) return false;
  const sum = banChecksumSum(ban);
  return sum % 5 === 0 || (ban[6] === '7' && (sum + 1) % 5 === 0);
}
