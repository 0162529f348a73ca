import { ORDER_COLUMNS, columnLetter, orderColumnHeader, orderColumnLabel } from './order-columns';

const HEADER = ORDER_COLUMNS.map(orderColumnHeader);

describe('ORDER_COLUMNS', () => {
  it('has the template columns in order with `中文名 (EnglishName)` headers', () => {
    expect(HEADER.slice(0, 3)).toEqual(['訂單編號 (BillingNo)', '買方統編 (BuyerBAN)', '買方名稱 (BuyerName)']);
    expect(HEADER).toContain('通關方式 (CustomsClearanceMark)');
    expect(HEADER[HEADER.length - 1]).toBe('明細備註 (LineRemark)');
    expect(ORDER_COLUMNS.map((c) => c.level).lastIndexOf('invoice')).toBeLessThan(
      ORDER_COLUMNS.map((c) => c.level).indexOf('line'),
    );
    expect(orderColumnLabel('buyerBan')).toBe('B 買方統編');
    expect(orderColumnLabel('amount')).toBe('T 金額');
    expect(columnLetter(26)).toBe('AA');
  });
});
