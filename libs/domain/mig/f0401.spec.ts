import { fc, test } from '@fast-check/jest';
import { DomainError } from '../domain-error';
import { computeAmounts } from '../invoice/compute-amounts';
import { InvoiceInput, IssuedInvoice } from '../invoice/invoice.types';
import { renderF0401 } from './f0401';
import {
  F0401_AMOUNT_ORDER,
  F0401_AMOUNT_REQUIRED,
  F0401_ITEM_ORDER,
  F0401_ITEM_REQUIRED,
  F0401_MAIN_ORDER,
  F0401_MAIN_REQUIRED,
  F0401_ROOT_ORDER,
  MIG_NAMESPACE,
  MIG_PARTY_ORDER,
  MIG_PARTY_REQUIRED,
} from './mig-fields';
import { checkMigSequence, childNames, migChild, MigElement, migText, namespacesOf, presentInOrder, readMigXml } from './mig-read';

const NS = MIG_NAMESPACE('F0401');
const SPECIAL = `<&>"' 中文`;

function issue(input: InvoiceInput, overrides: Partial<IssuedInvoice> = {}): IssuedInvoice {
  return {
    number: 'AB12345678',
    issuedAt: new Date('2026-03-10T15:30:05Z'), // 2026-03-10 23:30:05 Taipei
    randomNumber: '0427',
    seller: { ban: '53212539', name: '好茶股份有限公司', address: '臺北市中正區重慶南路1段1號' },
    input,
    amounts: computeAmounts(input),
    ...overrides,
  };
}

const b2cPrinted: InvoiceInput = {
  billingNo: 'ORD-1',
  taxType: '1',
  buyer: {},
  print: true,
  lines: [
    { description: '綠茶', quantity: 2, unitPrice: 50, amount: 100, unit: '杯' },
    { description: 'Cookie', quantity: 1.5, unitPrice: 33, amount: 49.5, remark: 'promo' },
  ],
};
const b2b: InvoiceInput = {
  billingNo: 'ORD-2',
  taxType: '1',
  buyer: { ban: '12345675', name: '買方有限公司', address: '新北市板橋區', email: 'ap@buyer.com.tw' },
  lines: [{ description: '顧問服務', quantity: 1, unitPrice: 1050, amount: 1050 }],
  mainRemark: '合約 2026-01',
};

/** Every structural property a conforming F0401 has: root, namespace, order and required elements at each level. */
function expectConforming(xml: string): MigElement {
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
  expect(xml).toContain(`<Invoice xmlns="${NS}">`);
  expect(xml).not.toContain('xmlns:');
  const root = readMigXml(xml);
  expect(root.name).toBe('Invoice');
  expect(namespacesOf(root)).toEqual([NS]);
  expect(childNames(root)).toEqual([...F0401_ROOT_ORDER]);
  const main = migChild(root, 'Main');
  const levels: [MigElement, readonly string[], readonly string[]][] = [
    [root, F0401_ROOT_ORDER, F0401_ROOT_ORDER],
    [main, F0401_MAIN_ORDER, F0401_MAIN_REQUIRED],
    [migChild(main, 'Seller'), MIG_PARTY_ORDER, MIG_PARTY_REQUIRED],
    [migChild(main, 'Buyer'), MIG_PARTY_ORDER, MIG_PARTY_REQUIRED],
    ...migChild(root, 'Details').children.map(
      (item): [MigElement, readonly string[], readonly string[]] => [item, F0401_ITEM_ORDER, F0401_ITEM_REQUIRED],
    ),
    [migChild(root, 'Amount'), F0401_AMOUNT_ORDER, F0401_AMOUNT_REQUIRED],
  ];
  for (const [element, order, required] of levels) {
    expect(childNames(element)).toEqual(presentInOrder(element, order));
    expect(checkMigSequence(element, order, required)).toEqual([]);
  }
  expect(childNames(migChild(root, 'Details')).every((n) => n === 'ProductItem')).toBe(true);
  expect(migText(main, 'RandomNumber')).toMatch(/^[0-9]{4}$/);
  return root;
}

describe('renderF0401', () => {
  it('B2C printed: buyer 0000000000, Taipei date and time, tax-included amounts', () => {
    const root = expectConforming(renderF0401(issue(b2cPrinted)));
    const main = migChild(root, 'Main');
    expect(childNames(main)).toEqual([
      'InvoiceNumber',
      'InvoiceDate',
      'InvoiceTime',
      'Seller',
      'Buyer',
      'InvoiceType',
      'DonateMark',
      'PrintMark',
      'RandomNumber',
    ]);
    expect(migText(main, 'InvoiceNumber')).toBe('AB12345678');
    expect(migText(main, 'InvoiceDate')).toBe('20260310');
    expect(migText(main, 'InvoiceTime')).toBe('23:30:05');
    expect(migText(main, 'InvoiceType')).toBe('07');
    expect(migText(main, 'DonateMark')).toBe('0');
    expect(migText(main, 'PrintMark')).toBe('Y');
    expect(migText(main, 'RandomNumber')).toBe('0427');
    const seller = migChild(main, 'Seller');
    expect(childNames(seller)).toEqual(['Identifier', 'Name', 'Address']);
    expect(migText(seller, 'Identifier')).toBe('53212539');
    const buyer = migChild(main, 'Buyer');
    expect(childNames(buyer)).toEqual(['Identifier', 'Name']);
    expect(migText(buyer, 'Identifier')).toBe('0000000000');
    expect(migText(buyer, 'Name')).toBe('0000000000');

    const items = migChild(root, 'Details').children;
    expect(items.map((i) => migText(i, 'SequenceNumber'))).toEqual(['001', '002']);
    expect(childNames(items[0])).toEqual(['Description', 'Quantity', 'Unit', 'UnitPrice', 'TaxType', 'Amount', 'SequenceNumber']);
    expect(childNames(items[1])).toEqual(['Description', 'Quantity', 'UnitPrice', 'TaxType', 'Amount', 'SequenceNumber', 'Remark']);
    expect(migText(items[1], 'Quantity')).toBe('1.5');
    expect(migText(items[1], 'Amount')).toBe('49.5');
    expect(migText(items[0], 'TaxType')).toBe('1');

    const amount = migChild(root, 'Amount');
    expect(childNames(amount)).toEqual([...F0401_AMOUNT_REQUIRED]);
    expect(amount.children.map((c) => c.text)).toEqual(['150', '0', '0', '1', '0.05', '0', '150']);
  });

  it('B2B: buyer BAN, name, address, e-mail; untaxed lines and separate tax; printed without a carrier', () => {
    const root = expectConforming(renderF0401(issue(b2b)));
    const main = migChild(root, 'Main');
    expect(migText(main, 'MainRemark')).toBe('合約 2026-01');
    // PrintMark N needs a carrier or a donation, and a B2B buyer never donates.
    expect(migText(main, 'PrintMark')).toBe('Y');
    const buyer = migChild(main, 'Buyer');
    expect(childNames(buyer)).toEqual(['Identifier', 'Name', 'Address', 'EmailAddress']);
    expect(buyer.children.map((c) => c.text)).toEqual(['12345675', '買方有限公司', '新北市板橋區', 'ap@buyer.com.tw']);
    const amount = migChild(root, 'Amount');
    expect(amount.children.map((c) => c.text)).toEqual(['1050', '0', '0', '1', '0.05', '53', '1103']);
  });

  it('B2C with a consumer name uses it, with the buyer still 0000000000', () => {
    const root = expectConforming(renderF0401(issue({ ...b2cPrinted, buyer: { name: '王小明', email: 'wang@example.tw' } })));
    const buyer = migChild(migChild(root, 'Main'), 'Buyer');
    expect(buyer.children.map((c) => c.text)).toEqual(['0000000000', '王小明', 'wang@example.tw']);
  });

  it('carrier: type, visible and hidden ID, not printed', () => {
    const input: InvoiceInput = { ...b2cPrinted, print: false, carrier: { type: '3J0002', id: '/AB+1.-9' } };
    const main = migChild(expectConforming(renderF0401(issue(input))), 'Main');
    expect(migText(main, 'CarrierType')).toBe('3J0002');
    expect(migText(main, 'CarrierId1')).toBe('/AB+1.-9');
    expect(migText(main, 'CarrierId2')).toBe('/AB+1.-9');
    expect(migText(main, 'PrintMark')).toBe('N');
    expect(migText(main, 'DonateMark')).toBe('0');
    expect(childNames(main)).not.toContain('NPOBAN');
  });

  it('donation: DonateMark 1 and NPOBAN, no carrier', () => {
    const input: InvoiceInput = { ...b2cPrinted, print: false, npoban: '8585' };
    const main = migChild(expectConforming(renderF0401(issue(input))), 'Main');
    expect(migText(main, 'DonateMark')).toBe('1');
    expect(migText(main, 'NPOBAN')).toBe('8585');
    expect(childNames(main)).not.toContain('CarrierType');
  });

  it('mixed with a zero-rated line: per-line tax types, customs mark and reason', () => {
    const input: InvoiceInput = {
      billingNo: 'ORD-3',
      taxType: '9',
      buyer: {},
      print: true,
      zeroTax: { customsClearanceMark: '2', reason: '71' },
      lines: [
        { description: 'A', quantity: 1, unitPrice: 100, amount: 100, taxType: '1' },
        { description: 'B', quantity: 1, unitPrice: 200, amount: 200, taxType: '2' },
        { description: 'C', quantity: 1, unitPrice: 300, amount: 300, taxType: '3' },
      ],
    };
    const root = expectConforming(renderF0401(issue(input)));
    const main = migChild(root, 'Main');
    expect(migText(main, 'CustomsClearanceMark')).toBe('2');
    expect(migText(main, 'ZeroTaxRateReason')).toBe('71');
    expect(migChild(root, 'Details').children.map((i) => migText(i, 'TaxType'))).toEqual(['1', '2', '3']);
    expect(migChild(root, 'Amount').children.map((c) => c.text)).toEqual(['100', '300', '200', '9', '0.05', '0', '600']);
  });

  it('leaves out an unknown seller address (the PDF wants one; the platform answer will say so)', () => {
    const xml = renderF0401(issue(b2cPrinted, { seller: { ban: '53212539', name: 'No Address', address: null } }));
    expect(childNames(migChild(migChild(readMigXml(xml), 'Main'), 'Seller'))).toEqual(['Identifier', 'Name']);
  });

  it('escapes special characters and keeps Chinese text', () => {
    const input: InvoiceInput = { ...b2cPrinted, mainRemark: SPECIAL, lines: [{ ...b2cPrinted.lines[0], description: SPECIAL }] };
    const xml = renderF0401(issue(input, { seller: { ban: '53212539', name: `A&B <茶> "x"`, address: `1' St.` } }));
    expect(xml).toContain('&lt;&amp;&gt;');
    expect(xml).not.toContain('<&>');
    const root = expectConforming(xml);
    const main = migChild(root, 'Main');
    expect(migText(main, 'MainRemark')).toBe(SPECIAL);
    expect(migText(migChild(main, 'Seller'), 'Name')).toBe(`A&B <茶> "x"`);
    expect(migText(migChild(main, 'Seller'), 'Address')).toBe(`1' St.`);
    expect(migText(migChild(root, 'Details').children[0], 'Description')).toBe(SPECIAL);
  });

  test.prop([
    fc.string({ unit: fc.constantFrom('<', '&', '>', '"', "'", '中', '文', 'a', ' ', '票', '😀', ']]>'), minLength: 1, maxLength: 40 }),
  ])('any description round-trips', (description) => {
    const input: InvoiceInput = { ...b2cPrinted, lines: [{ ...b2cPrinted.lines[0], description }] };
    const root = readMigXml(renderF0401(issue(input)));
    expect(migText(migChild(root, 'Details').children[0], 'Description')).toBe(description);
  });

  it('refuses a mixed invoice line without its tax type', () => {
    const input: InvoiceInput = { ...b2cPrinted, taxType: '9' };
    expect(() => renderF0401(issue(input))).toThrow(DomainError);
  });

  it('refuses an invoice without lines', () => {
    const input: InvoiceInput = { ...b2cPrinted, lines: [] };
    expect(() => renderF0401(issue(input, { amounts: computeAmounts(b2cPrinted) }))).toThrow(/ProductItem is required/);
  });
});
