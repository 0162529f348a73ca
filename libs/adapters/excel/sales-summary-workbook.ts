import ExcelJS from 'exceljs';
import { Writable } from 'node:stream';
import { MediaRecord, SalesSummary } from '../../domain';

const CLASS_SHEETS: { taxClass: MediaRecord['taxClass']; name: string }[] = [
  { taxClass: '1', name: '應稅 taxable' },
  { taxClass: '2', name: '零稅率 zero-rated' },
  { taxClass: '3', name: '免稅 exempt' },
  { taxClass: 'F', name: '作廢 voided' },
  { taxClass: 'D', name: '空白 blank' },
];

const RECORD_COLUMNS = [
  { header: '格式 format', key: 'format', width: 10 },
  { header: '年月 month', key: 'month', width: 10 },
  { header: '發票號 number', key: 'number', width: 15 },
  { header: '迄號 last (blank)', key: 'last', width: 15 },
  { header: '買方統編 buyer', key: 'buyer', width: 14 },
  { header: '銷售額 sales', key: 'sales', width: 16 },
  { header: '稅額 tax', key: 'tax', width: 14 },
  { header: '通關 customs', key: 'customs', width: 10 },
];

function headerRow(sheet: ExcelJS.Worksheet): void {
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
  header.commit();
}

/**
 * The 401's sales side as an .xlsx: a summary sheet per invoice type, then one sheet per tax class listing the media
 * file's records of that class (returns and allowances are the 33/34 records on the class sheets). Streamed.
 */
export async function writeSalesSummaryWorkbook(out: Writable, summary: SalesSummary, records: readonly MediaRecord[]): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const totals = workbook.addWorksheet('401 銷項 sales', { views: [{ state: 'frozen', ySplit: 1 }] });
  totals.columns = [
    { header: '項目 item', key: 'item', width: 44 },
    ...summary.byInvoiceType.map((t) => ({ header: `發票類別 ${t.invoiceType}`, key: t.invoiceType, width: 18 })),
  ];
  headerRow(totals);
  const line = (item: string, pick: (t: SalesSummary['byInvoiceType'][number]) => number) =>
    totals.addRow([item, ...summary.byInvoiceType.map(pick)]).commit();
  line('應稅銷售額 taxable sales', (t) => t.taxable.sales);
  line('應稅稅額 output tax', (t) => t.taxable.tax);
  line('  營業人 to businesses: sales', (t) => t.taxable.toBusiness.sales);
  line('  營業人 to businesses: tax', (t) => t.taxable.toBusiness.tax);
  line('  消費者 to consumers: tax included', (t) => t.taxable.toConsumers.taxIncluded);
  line('零稅率 zero-rated, through customs', (t) => t.zeroRated.throughCustoms);
  line('零稅率 zero-rated, not through customs', (t) => t.zeroRated.notThroughCustoms);
  line('免稅 exempt', (t) => t.exempt);
  line('退回及折讓 returns and allowances: taxable', (t) => t.returnsAndAllowances.taxable.sales);
  line('退回及折讓 returns and allowances: tax', (t) => t.returnsAndAllowances.taxable.tax);
  line('退回及折讓 returns and allowances: zero-rated', (t) => t.returnsAndAllowances.zeroRated);
  line('退回及折讓 returns and allowances: exempt', (t) => t.returnsAndAllowances.exempt);
  line('開立張數 invoices issued', (t) => t.counts.issued);
  line('作廢張數 invoices voided', (t) => t.counts.voided);
  line('空白號碼 blank numbers', (t) => t.counts.blank);
  line('折讓張數 allowances', (t) => t.counts.allowances);
  totals.commit();
  for (const { taxClass, name } of CLASS_SHEETS) {
    const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = RECORD_COLUMNS.map((c) => ({ ...c }));
    headerRow(sheet);
    for (const r of records) {
      if (r.taxClass !== taxClass) continue;
      const last = r.blankEnd === null ? '' : `${r.invoiceNumber.slice(0, 2)}${String(r.blankEnd).padStart(8, '0')}`;
      sheet.addRow([r.formatCode, r.yearMonth, r.invoiceNumber, last, r.buyerBan ?? '', r.salesAmount, r.taxAmount, r.customsMark ?? '']).commit();
    }
    sheet.commit();
  }
  await workbook.commit();
}
