import { DomainError } from '../domain-error';
import { E0402Input, renderE0402 } from './e0402';
import { E0402_ITEM_ORDER, E0402_ITEM_REQUIRED, E0402_MAIN_ORDER, E0402_MAIN_REQUIRED, E0402_ROOT_ORDER, MIG_NAMESPACE } from './mig-fields';
import { checkMigSequence, childNames, migChild, migText, namespacesOf, readMigXml } from './mig-read';

const report: E0402Input = {
  headBan: '53212539',
  branchBan: '53212539',
  invoiceType: '07',
  period: '11502',
  track: 'KD',
  blanks: [
    { begin: 12340037, end: 12340049 },
    { begin: 120, end: 149 },
  ],
};

describe('renderE0402', () => {
  it('Main and Details in schema order, 8-digit numbers', () => {
    const xml = renderE0402(report);
    expect(xml).toContain(`<BranchTrackBlank xmlns="${MIG_NAMESPACE('E0402')}">`);
    const root = readMigXml(xml);
    expect(root.name).toBe('BranchTrackBlank');
    expect(namespacesOf(root)).toEqual([MIG_NAMESPACE('E0402')]);
    expect(childNames(root)).toEqual([...E0402_ROOT_ORDER]);
    const main = migChild(root, 'Main');
    expect(childNames(main)).toEqual([...E0402_MAIN_ORDER]);
    expect(checkMigSequence(main, E0402_MAIN_ORDER, E0402_MAIN_REQUIRED)).toEqual([]);
    expect(main.children.map((c) => c.text)).toEqual(['53212539', '53212539', '07', '11502', 'KD']);
    const items = migChild(root, 'Details').children;
    expect(childNames(migChild(root, 'Details'))).toEqual(['BranchTrackBlankItem', 'BranchTrackBlankItem']);
    for (const item of items) {
      expect(childNames(item)).toEqual([...E0402_ITEM_ORDER]);
      expect(checkMigSequence(item, E0402_ITEM_ORDER, E0402_ITEM_REQUIRED)).toEqual([]);
    }
    expect(items.map((i) => [migText(i, 'InvoiceBeginNo'), migText(i, 'InvoiceEndNo')])).toEqual([
      ['12340037', '12340049'],
      ['00000120', '00000149'],
    ]);
  });

  test.each(['11502', '202601', '202602', '115/01 ~ 115/02'])('period %s is written as YearMonth 11502', (period) => {
    const main = migChild(readMigXml(renderE0402({ ...report, period })), 'Main');
    expect(migText(main, 'YearMonth')).toBe('11502');
  });

  it('refuses an unreadable period, no ranges, or a bad range', () => {
    expect(() => renderE0402({ ...report, period: '11501' })).toThrow(DomainError);
    expect(() => renderE0402({ ...report, blanks: [] })).toThrow(DomainError);
    expect(() => renderE0402({ ...report, blanks: [{ begin: 50, end: 49 }] })).toThrow(RangeError);
    expect(() => renderE0402({ ...report, blanks: [{ begin: 0, end: 100_000_000 }] })).toThrow(RangeError);
    expect(() => renderE0402({ ...report, blanks: [{ begin: 1.5, end: 2 }] })).toThrow(RangeError);
  });
});
