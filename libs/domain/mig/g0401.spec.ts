import { DomainError } from '../domain-error';
import { G0401Input, renderG0401 } from './g0401';
import {
  G0401_AMOUNT_ORDER,
  G0401_AMOUNT_REQUIRED,
  G0401_ITEM_ORDER,
  G0401_ITEM_REQUIRED,
  G0401_MAIN_ORDER,
  G0401_MAIN_REQUIRED,
  G0401_ROOT_ORDER,
  MIG_NAMESPACE,
  MIG_PARTY_ORDER,
  MIG_PARTY_REQUIRED,
} from './mig-fields';
import { checkMigSequence, childNames, migChild, MigElement, migText, namespacesOf, presentInOrder, readMigXml } from './mig-read';

const NS = MIG_NAMESPACE('G0401');
const invoiceDate = new Date('2026-03-01T02:00:00Z');

const allowance: G0401Input = {
  allowanceNumber: 'AL2026031000001',
  allowanceDate: new Date('2026-03-10T16:00:00Z'), // 2026-03-11 Taipei
  seller: { ban: '53212539', name: '好茶股份有限公司', address: '臺北市' },
  buyer: {},
  items: [
    {
      originalInvoiceDate: invoiceDate,
      originalInvoiceNumber: 'AB12345678',
      originalSequenceNumber: 3,
      originalDescription: '綠茶',
      quantity: 2,
      unit: '杯',
      unitPrice: 47.62,
      amount: 95.24,
      tax: 4.76,
      taxType: '1',
    },
    {
      originalInvoiceDate: invoiceDate,
      originalInvoiceNumber: 'AB12345678',
      originalDescription: 'Cookie',
      quantity: 1,
      unitPrice: 100,
      amount: 100,
      tax: 5,
      taxType: '1',
    },
  ],
};

function expectConforming(xml: string): MigElement {
  expect(xml).toContain(`<Allowance xmlns="${NS}">`);
  const root = readMigXml(xml);
  expect(root.name).toBe('Allowance');
  expect(namespacesOf(root)).toEqual([NS]);
  expect(childNames(root)).toEqual([...G0401_ROOT_ORDER]);
  const main = migChild(root, 'Main');
  const levels: [MigElement, readonly string[], readonly string[]][] = [
    [main, G0401_MAIN_ORDER, G0401_MAIN_REQUIRED],
    [migChild(main, 'Seller'), MIG_PARTY_ORDER, MIG_PARTY_REQUIRED],
    [migChild(main, 'Buyer'), MIG_PARTY_ORDER, MIG_PARTY_REQUIRED],
    ...migChild(root, 'Details').children.map(
      (item): [MigElement, readonly string[], readonly string[]] => [item, G0401_ITEM_ORDER, G0401_ITEM_REQUIRED],
    ),
    [migChild(root, 'Amount'), G0401_AMOUNT_ORDER, G0401_AMOUNT_REQUIRED],
  ];
  for (const [element, order, required] of levels) {
    expect(childNames(element)).toEqual(presentInOrder(element, order));
    expect(checkMigSequence(element, order, required)).toEqual([]);
  }
  return root;
}

describe('renderG0401', () => {
  it('B2C allowance: AllowanceType 2, buyer 0000000000, items in schema order, untaxed total', () => {
    const root = expectConforming(renderG0401(allowance));
    const main = migChild(root, 'Main');
    expect(childNames(main)).toEqual(['AllowanceNumber', 'AllowanceDate', 'Seller', 'Buyer', 'AllowanceType']);
    expect(migText(main, 'AllowanceDate')).toBe('20260311');
    expect(migText(main, 'AllowanceType')).toBe('2');
    expect(migChild(main, 'Buyer').children.map((c) => c.text)).toEqual(['0000000000', '0000000000']);

    const [first, second] = migChild(root, 'Details').children;
    expect(childNames(first)).toEqual([...G0401_ITEM_ORDER]);
    expect(first.children.map((c) => c.text)).toEqual([
      '20260301',
      'AB12345678',
      '003',
      '綠茶',
      '2',
      '杯',
      '47.62',
      '95.24',
      '4.76',
      '001',
      '1',
    ]);
    expect(childNames(second)).not.toContain('OriginalSequenceNumber');
    expect(childNames(second)).not.toContain('Unit');
    expect(childNames(second)).not.toContain('SequenceNumber');
    expect(migText(second, 'AllowanceSequenceNumber')).toBe('002');

    const amount = migChild(root, 'Amount');
    expect(childNames(amount)).toEqual(['TaxAmount', 'TotalAmount']);
    expect(migText(amount, 'TaxAmount')).toBe('9.76');
    expect(migText(amount, 'TotalAmount')).toBe('195.24');
  });

  it('B2B buyer with name; special characters round-trip', () => {
    const root = expectConforming(
      renderG0401({
        ...allowance,
        buyer: { ban: '12345675', name: `買方 <&> "公司"` },
        items: [{ ...allowance.items[0], originalDescription: `<&>"' 中文` }],
      }),
    );
    const buyer = migChild(migChild(root, 'Main'), 'Buyer');
    expect(buyer.children.map((c) => c.text)).toEqual(['12345675', `買方 <&> "公司"`]);
    expect(migText(migChild(root, 'Details').children[0], 'OriginalDescription')).toBe(`<&>"' 中文`);
  });

  it('refuses an allowance without items', () => {
    expect(() => renderG0401({ ...allowance, items: [] })).toThrow(DomainError);
  });
});
