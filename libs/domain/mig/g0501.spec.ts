import { renderG0501 } from './g0501';
import { G0501_ORDER, G0501_REQUIRED, MIG_NAMESPACE } from './mig-fields';
import { checkMigSequence, childNames, migText, namespacesOf, presentInOrder, readMigXml } from './mig-read';

const base = {
  allowanceNumber: 'AL2026031000001',
  allowanceDate: new Date('2026-03-10T04:00:00Z'),
  sellerBan: '53212539',
  cancelledAt: new Date('2026-03-11T17:00:00Z'), // 2026-03-12 01:00 Taipei
  reason: '重複開立',
};

describe('renderG0501', () => {
  it('is flat, in schema order, AllowanceType 2, B2C buyer 0000000000', () => {
    const xml = renderG0501(base);
    expect(xml).toContain(`<CancelAllowance xmlns="${MIG_NAMESPACE('G0501')}">`);
    const root = readMigXml(xml);
    expect(root.name).toBe('CancelAllowance');
    expect(namespacesOf(root)).toEqual([MIG_NAMESPACE('G0501')]);
    expect(childNames(root)).toEqual([...G0501_REQUIRED]);
    expect(checkMigSequence(root, G0501_ORDER, G0501_REQUIRED)).toEqual([]);
    expect(root.children.map((c) => c.text)).toEqual([
      'AL2026031000001',
      '2',
      '20260310',
      '0000000000',
      '53212539',
      '20260312',
      '01:00:00',
      '重複開立',
    ]);
  });

  it('B2B buyer and a remark with special characters', () => {
    const root = readMigXml(renderG0501({ ...base, buyerBan: '12345675', remark: `<&>"' 備註` }));
    expect(childNames(root)).toEqual(presentInOrder(root, G0501_ORDER));
    expect(childNames(root)).toEqual([...G0501_ORDER]);
    expect(migText(root, 'BuyerId')).toBe('12345675');
    expect(migText(root, 'Remark')).toBe(`<&>"' 備註`);
  });
});
