import { renderF0501 } from './f0501';
import { F0501_ORDER, F0501_REQUIRED, MIG_NAMESPACE } from './mig-fields';
import { checkMigSequence, childNames, migText, namespacesOf, presentInOrder, readMigXml } from './mig-read';

const base = {
  invoiceNumber: 'AB12345678',
  invoiceDate: new Date('2026-03-10T16:10:00Z'), // 2026-03-11 00:10 Taipei
  sellerBan: '53212539',
  cancelledAt: new Date('2026-03-12T01:02:03Z'), // 09:02:03 Taipei
  reason: '訂單取消',
};

describe('renderF0501', () => {
  it('is flat, in schema order, with Taipei dates; B2C buyer is 0000000000', () => {
    const xml = renderF0501(base);
    expect(xml).toContain(`<CancelInvoice xmlns="${MIG_NAMESPACE('F0501')}">`);
    const root = readMigXml(xml);
    expect(root.name).toBe('CancelInvoice');
    expect(namespacesOf(root)).toEqual([MIG_NAMESPACE('F0501')]);
    expect(childNames(root)).toEqual([...F0501_REQUIRED]);
    expect(checkMigSequence(root, F0501_ORDER, F0501_REQUIRED)).toEqual([]);
    expect(root.children.map((c) => c.text)).toEqual([
      'AB12345678',
      '20260311',
      '0000000000',
      '53212539',
      '20260312',
      '09:02:03',
      '訂單取消',
    ]);
  });

  it('B2B with approval number and remark; special characters round-trip', () => {
    const root = readMigXml(
      renderF0501({ ...base, buyerBan: '12345675', reason: `<&>"'`, returnTaxDocumentNumber: '財北國稅字第1150001號', remark: 'A & B' }),
    );
    expect(childNames(root)).toEqual([...F0501_ORDER]);
    expect(childNames(root)).toEqual(presentInOrder(root, F0501_ORDER));
    expect(migText(root, 'BuyerId')).toBe('12345675');
    expect(migText(root, 'CancelReason')).toBe(`<&>"'`);
    expect(migText(root, 'ReturnTaxDocumentNumber')).toBe('財北國稅字第1150001號');
    expect(migText(root, 'Remark')).toBe('A & B');
  });

  it('refuses an empty reason', () => {
    expect(() => renderF0501({ ...base, reason: '  ' })).toThrow(/CancelReason is required/);
  });
});
