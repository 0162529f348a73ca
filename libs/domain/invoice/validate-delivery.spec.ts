import { InvoiceInput } from './invoice.types';
import { printMarkOf, validateDelivery, withDeliveryDefaults } from './validate-delivery';

type Buyer = 'B2C' | 'B2B';
type Carrier = '-' | '3J0002' | 'CQ0001';
type Print = '-' | 'Y' | 'N';

const CARRIER_IDS = { '3J0002': '/ABC+123', CQ0001: 'AB12345678901234' } as const;

function request(buyer: Buyer, carrier: Carrier, donates: boolean, print: Print): InvoiceInput {
  return {
    billingNo: 'D-1',
    taxType: '1',
    buyer: buyer === 'B2B' ? { ban: '53212539', name: '買方股份有限公司' } : {},
    ...(carrier === '-' ? {} : { carrier: { type: carrier, id: CARRIER_IDS[carrier] } }),
    ...(donates ? { npoban: '168001' } : {}),
    ...(print === '-' ? {} : { print: print === 'Y' }),
    lines: [{ description: '茶', quantity: 1, unitPrice: 100, amount: 100 }],
  };
}

/**
 * Every buyer × carrier × donation × print combination against SPEC ("Carriers", "Turnkey gateway checks"): the
 * codes refused, or the PrintMark an accepted one is sent with. `-` is "not given".
 */
const TABLE: [Buyer, Carrier, boolean, Print, string[] | 'Y' | 'N'][] = [
  // B2C: printed, on a carrier or donated, exactly one of them.
  ['B2C', '-', false, '-', ['B2C_DELIVERY_REQUIRED']],
  ['B2C', '-', false, 'Y', 'Y'],
  ['B2C', '-', false, 'N', ['B2C_DELIVERY_REQUIRED']],
  ['B2C', '-', true, '-', 'N'],
  ['B2C', '-', true, 'Y', ['PRINT_WITH_DONATION']],
  ['B2C', '-', true, 'N', 'N'],
  ['B2C', '3J0002', false, '-', 'N'],
  ['B2C', '3J0002', false, 'Y', ['PRINT_WITH_CARRIER']],
  ['B2C', '3J0002', false, 'N', 'N'],
  ['B2C', '3J0002', true, '-', ['DONATION_WITH_CARRIER']],
  ['B2C', '3J0002', true, 'Y', ['DONATION_WITH_CARRIER', 'PRINT_WITH_CARRIER', 'PRINT_WITH_DONATION']],
  ['B2C', '3J0002', true, 'N', ['DONATION_WITH_CARRIER']],
  ['B2C', 'CQ0001', false, '-', 'N'],
  ['B2C', 'CQ0001', false, 'Y', ['PRINT_WITH_CARRIER']],
  ['B2C', 'CQ0001', false, 'N', 'N'],
  ['B2C', 'CQ0001', true, '-', ['DONATION_WITH_CARRIER']],
  ['B2C', 'CQ0001', true, 'Y', ['DONATION_WITH_CARRIER', 'PRINT_WITH_CARRIER', 'PRINT_WITH_DONATION']],
  ['B2C', 'CQ0001', true, 'N', ['DONATION_WITH_CARRIER']],
  // B2B: never donated; without a carrier printed (Y by default, N refused); on a carrier N, or Y on a mobile barcode.
  ['B2B', '-', false, '-', 'Y'],
  ['B2B', '-', false, 'Y', 'Y'],
  ['B2B', '-', false, 'N', ['B2B_PRINT_REQUIRED']],
  ['B2B', '-', true, '-', ['B2B_DONATION']],
  ['B2B', '-', true, 'Y', ['B2B_DONATION', 'PRINT_WITH_DONATION']],
  ['B2B', '-', true, 'N', ['B2B_DONATION']],
  ['B2B', '3J0002', false, '-', 'N'],
  ['B2B', '3J0002', false, 'Y', 'Y'],
  ['B2B', '3J0002', false, 'N', 'N'],
  ['B2B', '3J0002', true, '-', ['B2B_DONATION', 'DONATION_WITH_CARRIER']],
  ['B2B', '3J0002', true, 'Y', ['B2B_DONATION', 'DONATION_WITH_CARRIER', 'PRINT_WITH_DONATION']],
  ['B2B', '3J0002', true, 'N', ['B2B_DONATION', 'DONATION_WITH_CARRIER']],
  ['B2B', 'CQ0001', false, '-', 'N'],
  ['B2B', 'CQ0001', false, 'Y', ['PRINT_WITH_CARRIER']],
  ['B2B', 'CQ0001', false, 'N', 'N'],
  ['B2B', 'CQ0001', true, '-', ['B2B_DONATION', 'DONATION_WITH_CARRIER']],
  ['B2B', 'CQ0001', true, 'Y', ['B2B_DONATION', 'DONATION_WITH_CARRIER', 'PRINT_WITH_CARRIER', 'PRINT_WITH_DONATION']],
  ['B2B', 'CQ0001', true, 'N', ['B2B_DONATION', 'DONATION_WITH_CARRIER']],
];

describe('validateDelivery: every print / carrier / donation combination', () => {
  it('covers all 36 combinations once', () => {
    expect(new Set(TABLE.map(([b, c, d, p]) => `${b}${c}${d}${p}`)).size).toBe(36);
  });

  it.each(TABLE)('%s, carrier %s, donated %s, print %s → %j', (buyer, carrier, donates, print, expected) => {
    const input = request(buyer, carrier, donates, print);
    const codes = validateDelivery(input).map((e) => e.code.replace('INVOICE.', '')).sort();
    if (Array.isArray(expected)) {
      expect(codes).toEqual(expected);
      return;
    }
    expect(codes).toEqual([]);
    expect(printMarkOf(input) ? 'Y' : 'N').toBe(expected);
    // A PrintMark N the gateway takes: a carrier or a donation.
    if (expected === 'N') expect(carrier !== '-' || donates).toBe(true);
  });

  it('fills print in only for a B2B buyer without a carrier, and names the field when print: false is refused', () => {
    expect(withDeliveryDefaults(request('B2B', '-', false, '-')).print).toBe(true);
    expect(withDeliveryDefaults(request('B2B', '3J0002', false, '-')).print).toBeUndefined();
    expect(withDeliveryDefaults(request('B2C', '-', false, '-')).print).toBeUndefined();
    expect(validateDelivery(request('B2B', '-', false, 'N'))).toEqual([
      expect.objectContaining({ field: 'print', code: 'INVOICE.B2B_PRINT_REQUIRED', message: expect.stringContaining('PrintMark N') }),
    ]);
  });
});
