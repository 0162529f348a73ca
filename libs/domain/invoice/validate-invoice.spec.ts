import { fc, test } from '@fast-check/jest';
import { InvoiceInput, InvoiceLineInput } from './invoice.types';
import { validateInvoiceInput } from './validate-invoice';

const tea: InvoiceLineInput = { description: '綠茶 Green tea', quantity: 2, unitPrice: 50, amount: 100 };

const b2c = (): InvoiceInput => ({ billingNo: 'ORD-0001', taxType: '1', buyer: {}, print: true, lines: [{ ...tea }] });
const b2b = (): InvoiceInput => ({
  billingNo: 'ORD-0002',
  taxType: '1',
  buyer: { ban: '12345675', name: '測試股份有限公司', email: 'ap@example.com.tw' },
  lines: [{ ...tea }],
});
const withB2c = (patch: Partial<InvoiceInput>): InvoiceInput => ({ ...b2c(), ...patch });
const withB2b = (patch: Partial<InvoiceInput>): InvoiceInput => ({ ...b2b(), ...patch });
const lines = (...patches: Partial<InvoiceLineInput>[]): InvoiceLineInput[] => patches.map((p) => ({ ...tea, ...p }));
const zeroTax = { customsClearanceMark: '1' as const, reason: '71' };
const problems = (input: InvoiceInput): string[][] => validateInvoiceInput(input).map((e) => [e.field ?? '', e.code]);

describe('validateInvoiceInput: valid requests', () => {
  test.each<[string, InvoiceInput]>([
    ['B2C printed', b2c()],
    ['B2B', b2b()],
    ['B2B printed', withB2b({ print: true })],
    ['B2C mobile barcode', withB2c({ print: false, carrier: { type: '3J0002', id: '/AB+1.-9' } })],
    ['B2C citizen certificate', withB2c({ print: undefined, carrier: { type: 'CQ0001', id: 'AB12345678901234' } })],
    ['B2C donation, 3 digits', withB2c({ print: false, npoban: '123' })],
    ['B2C donation, 7 digits', withB2c({ print: undefined, npoban: '1234567' })],
    ['billingNo of every allowed character', withB2c({ billingNo: 'aZ09_-./' })],
    ['billingNo of 60 characters', withB2c({ billingNo: 'x'.repeat(60) })],
    ['B2C with an e-mail', withB2c({ buyer: { email: '王小明@example.tw' } })],
    ['zero-rated', withB2c({ taxType: '2', zeroTax })],
    ['zero-rated via customs, reason 79', withB2b({ taxType: '2', zeroTax: { customsClearanceMark: '2', reason: '79' } })],
    ['exempt', withB2b({ taxType: '3' })],
    ['mixed B2C', withB2c({ taxType: '9', lines: lines({ taxType: '1' }, { taxType: '3' }) })],
    ['mixed B2C with zero-rated line', withB2c({ taxType: '9', zeroTax, lines: lines({ taxType: '1' }, { taxType: '2' }) })],
    ['line tax type equal to the invoice', withB2c({ lines: lines({ taxType: '1' }) })],
    ['special tax 08 exempt', withB2c({ invoiceType: '08', taxType: '3' })],
    ['description of 500 Chinese characters', withB2c({ lines: lines({ description: '茶'.repeat(500) }) })],
    ['amount within half a cent', withB2c({ lines: lines({ quantity: 3, unitPrice: 33.33, amount: 99.995 }) })],
    ['amount 0, unit price 0', withB2c({ lines: lines({ unitPrice: 0, amount: 0 }) })],
    ['fractional quantity', withB2c({ lines: lines({ quantity: 1.5, unitPrice: 3, amount: 4.5 }) })],
    ['B2C total', withB2c({ totalAmount: 100 })],
    ['B2B total includes tax', withB2b({ totalAmount: 105 })],
    ['9999 lines', withB2c({ lines: Array.from({ length: 9999 }, () => ({ ...tea })) })],
  ])('%s', (_name, input) => {
    expect(validateInvoiceInput(input)).toEqual([]);
  });
});

describe('validateInvoiceInput: every rule', () => {
  test.each<[string, InvoiceInput, string[][]]>([
    ['billingNo missing', withB2c({ billingNo: '' }), [['billingNo', 'INVOICE.BILLING_NO_REQUIRED']]],
    ['billingNo too long', withB2c({ billingNo: 'x'.repeat(61) }), [['billingNo', 'INVOICE.BILLING_NO_INVALID']]],
    ['billingNo with a space', withB2c({ billingNo: 'ORD 1' }), [['billingNo', 'INVOICE.BILLING_NO_INVALID']]],
    ['billingNo with #', withB2c({ billingNo: 'ORD#1' }), [['billingNo', 'INVOICE.BILLING_NO_INVALID']]],
    ['buyer BAN checksum', withB2b({ buyer: { ban: '12345678', name: 'X' } }), [['buyer.ban', 'INVOICE.BUYER_BAN_INVALID']]],
    ['buyer BAN 7 digits', withB2b({ buyer: { ban: '1234567', name: 'X' } }), [['buyer.ban', 'INVOICE.BUYER_BAN_INVALID']]],
    ['B2B without name', withB2b({ buyer: { ban: '12345675' } }), [['buyer.name', 'INVOICE.BUYER_NAME_REQUIRED']]],
    ['B2B with blank name', withB2b({ buyer: { ban: '12345675', name: '  ' } }), [['buyer.name', 'INVOICE.BUYER_NAME_REQUIRED']]],
    ['buyer name over 60', withB2c({ buyer: { name: '名'.repeat(61) } }), [['buyer.name', 'INVOICE.BUYER_NAME_TOO_LONG']]],
    ['buyer address over 100', withB2c({ buyer: { address: '路'.repeat(101) } }), [['buyer.address', 'INVOICE.BUYER_ADDRESS_TOO_LONG']]],
    ['e-mail without @', withB2c({ buyer: { email: 'not-an-email' } }), [['buyer.email', 'INVOICE.BUYER_EMAIL_INVALID']]],
    ['e-mail without domain dot', withB2c({ buyer: { email: 'a@b' } }), [['buyer.email', 'INVOICE.BUYER_EMAIL_INVALID']]],
    ['e-mail with space', withB2c({ buyer: { email: 'a b@c.tw' } }), [['buyer.email', 'INVOICE.BUYER_EMAIL_INVALID']]],
    [
      'unknown carrier type',
      withB2c({ print: false, carrier: { type: 'XX0001' as never, id: '/ABC1234' } }),
      [['carrier.type', 'INVOICE.CARRIER_TYPE_INVALID']],
    ],
    [
      'mobile barcode without slash',
      withB2c({ print: false, carrier: { type: '3J0002', id: 'ABC12345' } }),
      [['carrier.id', 'INVOICE.CARRIER_ID_INVALID']],
    ],
    [
      'mobile barcode lowercase',
      withB2c({ print: false, carrier: { type: '3J0002', id: '/abc1234' } }),
      [['carrier.id', 'INVOICE.CARRIER_ID_INVALID']],
    ],
    [
      'mobile barcode too short',
      withB2c({ print: false, carrier: { type: '3J0002', id: '/ABC123' } }),
      [['carrier.id', 'INVOICE.CARRIER_ID_INVALID']],
    ],
    [
      'citizen certificate 13 digits',
      withB2c({ print: false, carrier: { type: 'CQ0001', id: 'AB1234567890123' } }),
      [['carrier.id', 'INVOICE.CARRIER_ID_INVALID']],
    ],
    ['donation code 2 digits', withB2c({ print: false, npoban: '12' }), [['npoban', 'INVOICE.NPOBAN_INVALID']]],
    ['donation code 8 digits', withB2c({ print: false, npoban: '12345678' }), [['npoban', 'INVOICE.NPOBAN_INVALID']]],
    ['donation code letters', withB2c({ print: false, npoban: 'abc' }), [['npoban', 'INVOICE.NPOBAN_INVALID']]],
    [
      'donation and carrier',
      withB2c({ print: false, npoban: '123', carrier: { type: '3J0002', id: '/ABC1234' } }),
      [['npoban', 'INVOICE.DONATION_WITH_CARRIER']],
    ],
    ['donation and print', withB2c({ print: true, npoban: '123' }), [['print', 'INVOICE.PRINT_WITH_DONATION']]],
    [
      'print and carrier',
      withB2c({ print: true, carrier: { type: '3J0002', id: '/ABC1234' } }),
      [['print', 'INVOICE.PRINT_WITH_CARRIER']],
    ],
    ['B2B donation', withB2b({ npoban: '123' }), [['npoban', 'INVOICE.B2B_DONATION']]],
    ['B2C neither printed, carrier nor donated', withB2c({ print: false }), [['print', 'INVOICE.B2C_DELIVERY_REQUIRED']]],
    ['print not a boolean', withB2c({ print: 'yes' as never }), [['print', 'INVOICE.PRINT_INVALID'], ['print', 'INVOICE.B2C_DELIVERY_REQUIRED']]],
    ['unknown tax type', withB2c({ taxType: '5' as never }), [['taxType', 'INVOICE.TAX_TYPE_INVALID']]],
    ['mixed on B2B', withB2b({ taxType: '9', lines: lines({ taxType: '1' }) }), [['taxType', 'INVOICE.MIXED_TAX_B2B']]],
    ['unknown invoice type', withB2c({ invoiceType: '09' as never }), [['invoiceType', 'INVOICE.INVOICE_TYPE_INVALID']]],
    ['special tax 08 with taxable', withB2c({ invoiceType: '08' }), [['taxType', 'INVOICE.TAX_TYPE_NOT_ALLOWED']]],
    ['special tax 08 with mixed', withB2c({ invoiceType: '08', taxType: '9', lines: lines({ taxType: '3' }) }), [['taxType', 'INVOICE.TAX_TYPE_NOT_ALLOWED']]],
    ['mixed line without tax type', withB2c({ taxType: '9' }), [['lines[0].taxType', 'INVOICE.LINE_TAX_TYPE_REQUIRED']]],
    ['mixed line with 9', withB2c({ taxType: '9', lines: lines({ taxType: '9' as never }) }), [['lines[0].taxType', 'INVOICE.LINE_TAX_TYPE_INVALID']]],
    ['line tax type differs', withB2c({ lines: lines({}, { taxType: '3' }) }), [['lines[1].taxType', 'INVOICE.LINE_TAX_TYPE_MISMATCH']]],
    ['zero-rated without details', withB2c({ taxType: '2' }), [['zeroTax', 'INVOICE.ZERO_TAX_REQUIRED']]],
    [
      'mixed zero-rated line without details',
      withB2c({ taxType: '9', lines: lines({ taxType: '1' }, { taxType: '2' }) }),
      [['zeroTax', 'INVOICE.ZERO_TAX_REQUIRED']],
    ],
    [
      'customs clearance mark 3',
      withB2c({ taxType: '2', zeroTax: { customsClearanceMark: '3' as never, reason: '71' } }),
      [['zeroTax.customsClearanceMark', 'INVOICE.CUSTOMS_CLEARANCE_MARK_INVALID']],
    ],
    ['zero tax reason 70', withB2c({ taxType: '2', zeroTax: { ...zeroTax, reason: '70' } }), [['zeroTax.reason', 'INVOICE.ZERO_TAX_REASON_INVALID']]],
    ['zero tax reason 80', withB2c({ taxType: '2', zeroTax: { ...zeroTax, reason: '80' } }), [['zeroTax.reason', 'INVOICE.ZERO_TAX_REASON_INVALID']]],
    ['zero-rate details on taxable', withB2c({ zeroTax }), [['zeroTax', 'INVOICE.ZERO_TAX_NOT_APPLICABLE']]],
    ['no lines', withB2c({ lines: [] }), [['lines', 'INVOICE.LINES_REQUIRED']]],
    ['10000 lines', withB2c({ lines: Array.from({ length: 10000 }, () => ({ ...tea })) }), [['lines', 'INVOICE.TOO_MANY_LINES']]],
    ['empty description', withB2c({ lines: lines({ description: '' }) }), [['lines[0].description', 'INVOICE.LINE_DESCRIPTION_REQUIRED']]],
    ['blank description', withB2c({ lines: lines({ description: '   ' }) }), [['lines[0].description', 'INVOICE.LINE_DESCRIPTION_REQUIRED']]],
    ['description over 500', withB2c({ lines: lines({ description: 'x'.repeat(501) }) }), [['lines[0].description', 'INVOICE.LINE_DESCRIPTION_TOO_LONG']]],
    ['quantity 0', withB2c({ lines: lines({ quantity: 0, amount: 0 }) }), [['lines[0].quantity', 'INVOICE.LINE_QUANTITY_INVALID']]],
    ['quantity negative', withB2c({ lines: lines({ quantity: -2, amount: 100 }) }), [['lines[0].quantity', 'INVOICE.LINE_QUANTITY_INVALID']]],
    ['quantity NaN', withB2c({ lines: lines({ quantity: Number.NaN }) }), [['lines[0].quantity', 'INVOICE.LINE_QUANTITY_INVALID']]],
    ['unit price negative', withB2c({ lines: lines({ unitPrice: -50 }) }), [['lines[0].unitPrice', 'INVOICE.LINE_UNIT_PRICE_INVALID']]],
    ['unit price infinite', withB2c({ lines: lines({ unitPrice: Infinity }) }), [['lines[0].unitPrice', 'INVOICE.LINE_UNIT_PRICE_INVALID']]],
    ['amount negative', withB2c({ lines: lines({ amount: -100 }) }), [['lines[0].amount', 'INVOICE.LINE_AMOUNT_INVALID']]],
    ['amount NaN', withB2c({ lines: lines({ amount: Number.NaN }) }), [['lines[0].amount', 'INVOICE.LINE_AMOUNT_INVALID']]],
    ['amount a string', withB2c({ lines: lines({ amount: '100' as never }) }), [['lines[0].amount', 'INVOICE.LINE_AMOUNT_INVALID']]],
    ['amount too large', withB2c({ lines: lines({ quantity: 1, unitPrice: 1e13, amount: 1e13 }) }), [['lines[0].unitPrice', 'INVOICE.LINE_UNIT_PRICE_INVALID'], ['lines[0].amount', 'INVOICE.LINE_AMOUNT_INVALID']]],
    [
      'quantity × unit price off by a cent',
      withB2c({ lines: lines({}, {}, {}, { quantity: 3, unitPrice: 33.33, amount: 100 }) }),
      [['lines[3].amount', 'INVOICE.LINE_AMOUNT_MISMATCH']],
    ],
    ['unit over 6', withB2c({ lines: lines({ unit: '1234567' }) }), [['lines[0].unit', 'INVOICE.LINE_UNIT_TOO_LONG']]],
    ['main remark over 200', withB2c({ mainRemark: 'r'.repeat(201) }), [['mainRemark', 'INVOICE.MAIN_REMARK_TOO_LONG']]],
    ['B2C total differs', withB2c({ totalAmount: 101 }), [['totalAmount', 'INVOICE.TOTAL_AMOUNT_MISMATCH']]],
    ['B2B total without tax', withB2b({ totalAmount: 100 }), [['totalAmount', 'INVOICE.TOTAL_AMOUNT_MISMATCH']]],
    ['total negative', withB2c({ totalAmount: -1 }), [['totalAmount', 'INVOICE.TOTAL_AMOUNT_INVALID']]],
    ['total NaN', withB2c({ totalAmount: Number.NaN }), [['totalAmount', 'INVOICE.TOTAL_AMOUNT_INVALID']]],
  ])('%s', (_name, input, expected) => {
    expect(problems(input)).toEqual(expected);
  });

  it('reports every problem at once, with paths and readable messages', () => {
    const errors = validateInvoiceInput({
      billingNo: '',
      taxType: '9',
      buyer: { ban: '12345678', email: 'x' },
      npoban: '1',
      lines: [{ ...tea, amount: 99 }],
      totalAmount: 1,
    });
    expect(errors.map((e) => e.code)).toEqual([
      'INVOICE.BILLING_NO_REQUIRED',
      'INVOICE.BUYER_BAN_INVALID',
      'INVOICE.BUYER_NAME_REQUIRED',
      'INVOICE.BUYER_EMAIL_INVALID',
      'INVOICE.NPOBAN_INVALID',
      'INVOICE.B2B_DONATION',
      'INVOICE.MIXED_TAX_B2B',
      'INVOICE.LINE_AMOUNT_MISMATCH',
      'INVOICE.LINE_TAX_TYPE_REQUIRED',
    ]);
    for (const error of errors) {
      expect(error.field).toBeDefined();
      expect(error.message.length).toBeGreaterThan(10);
    }
    expect(errors.find((e) => e.field === 'buyer.ban')?.message).toContain('買方統編');
  });

  test.prop([fc.anything()])('never throws, whatever arrives', (value) => {
    expect(Array.isArray(validateInvoiceInput(value as InvoiceInput))).toBe(true);
  });

  test.prop([
    fc.record(
      {
        billingNo: fc.oneof(fc.string(), fc.constant(undefined)),
        taxType: fc.constantFrom('1', '2', '3', '9', 'x', undefined),
        invoiceType: fc.constantFrom('07', '08', '7', undefined),
        buyer: fc.oneof(fc.constant(undefined), fc.record({ ban: fc.option(fc.string()), name: fc.option(fc.string()) })),
        carrier: fc.option(fc.record({ type: fc.constantFrom('3J0002', 'CQ0001', 'bad'), id: fc.string() })),
        npoban: fc.option(fc.string()),
        print: fc.option(fc.boolean()),
        zeroTax: fc.option(fc.record({ customsClearanceMark: fc.string(), reason: fc.string() })),
        lines: fc.oneof(
          fc.constant(undefined),
          fc.array(
            fc.record({
              description: fc.option(fc.string()),
              quantity: fc.double(),
              unitPrice: fc.double(),
              amount: fc.double(),
              taxType: fc.option(fc.constantFrom('1', '2', '3', '9')),
            }),
            { maxLength: 4 },
          ),
        ),
        totalAmount: fc.option(fc.double()),
      },
      { requiredKeys: [] },
    ),
  ])('never throws on malformed requests, and every error has a field and an INVOICE code', (value) => {
    for (const error of validateInvoiceInput(value as unknown as InvoiceInput)) {
      expect(typeof error.field).toBe('string');
      expect(error.code).toMatch(/^INVOICE\.[A-Z0-9_]+$/);
    }
  });
});
