/** The order template staff download: header, a filled example, drop-downs on coded columns, an instructions sheet. */

import ExcelJS from 'exceljs';
import {
  MAX_ORDER_ROWS,
  ORDER_CELL_KINDS,
  ORDER_COLUMNS,
  ORDER_INSTRUCTIONS_SHEET_NAME,
  ORDER_SHEET_NAME,
  OrderColumnKey,
  columnLetter,
  orderColumnHeader,
} from './order-columns';

interface ColumnHelp {
  width: number;
  /** Instructions sheet text. */
  zhHelp: string;
  enHelp: string;
  /** Code meanings for the instructions sheet and the drop-down prompt. */
  codeHelp?: string;
}

const HELP: Record<OrderColumnKey, ColumnHelp> = {
  billingNo: {
    width: 16,
    zhHelp: '訂單編號，同一檔案內相同編號的多列合併為一張發票（多明細）；已開立的編號不可重複開立（須先作廢）。',
    enHelp:
      'Order number. Rows with the same BillingNo form one invoice (one row per line). A BillingNo already issued ' +
      'cannot be issued again unless its invoice was voided.',
  },
  buyerBan: {
    width: 12,
    zhHelp: '買方統一編號 8 碼（須通過檢查碼）。有填 = B2B（三聯式）；空白 = B2C（二聯式）。',
    enHelp: 'Buyer business number, 8 digits with a valid checksum. Present = B2B invoice; empty = B2C invoice.',
  },
  buyerName: {
    width: 24,
    zhHelp: '買方名稱；有統編（B2B）時必填。',
    enHelp: 'Buyer name; required when a BuyerBAN is given (B2B).',
  },
  buyerAddress: { width: 28, zhHelp: '買方地址。', enHelp: 'Buyer address.' },
  buyerEmail: {
    width: 24,
    zhHelp: '買方 Email；有填時開立後以 Email 通知。',
    enHelp: 'Buyer e-mail; when given the buyer is notified by e-mail after issue.',
  },
  invoiceType: {
    width: 10,
    zhHelp: '發票類別，空白視為 07。',
    enHelp: 'Invoice type; empty means 07.',
    codeHelp: '07 一般稅額 general tax (課稅別 1/2/3/9); 08 特種稅額 special tax',
  },
  taxType: {
    width: 8,
    zhHelp: '課稅別。2 零稅率須填通關方式與零稅率原因；9 混合稅率僅限 B2C，且每一明細須填明細課稅別。',
    enHelp:
      'Tax type. 2 (zero-rated) needs CustomsClearanceMark and ZeroTaxRateReason; 9 (mixed) is B2C only and every ' +
      'line then needs its LineTaxType.',
    codeHelp: '1 應稅 taxable; 2 零稅率 zero-rated; 3 免稅 exempt; 9 混合 mixed (B2C only)',
  },
  customsClearanceMark: {
    width: 10,
    zhHelp: '通關方式，課稅別 2 時必填。',
    enHelp: 'Customs clearance mark; required for tax type 2.',
    codeHelp: '1 非經海關出口 not through customs; 2 經海關出口 through customs',
  },
  zeroTaxRateReason: {
    width: 10,
    zhHelp: '零稅率原因（營業稅法第 7 條各款），課稅別 2 時必填。',
    enHelp: 'Zero tax rate reason (VAT Act art. 7); required for tax type 2.',
    codeHelp: '71–79',
  },
  carrierType: {
    width: 10,
    zhHelp: '載具類別，與載具號碼同時填寫。有載具時不可捐贈、不可列印。',
    enHelp: 'Carrier type, given together with CarrierId. With a carrier: no donation, no print.',
    codeHelp: '3J0002 手機條碼 mobile barcode; CQ0001 自然人憑證 citizen certificate',
  },
  carrierId: {
    width: 18,
    zhHelp: '載具號碼。手機條碼：/ 開頭共 8 碼（0-9 A-Z . + -）；自然人憑證：2 碼大寫英文 + 14 碼數字。',
    enHelp:
      'Carrier id. Mobile barcode: "/" then 7 of 0-9 A-Z . + - (8 characters); citizen certificate: 2 uppercase ' +
      'letters and 14 digits.',
  },
  npoban: {
    width: 10,
    zhHelp: '捐贈碼（愛心碼）3–7 碼數字。捐贈時不可有載具、不可列印；有統編（B2B）不可捐贈。',
    enHelp: 'Donation code, 3–7 digits. A donated invoice has no carrier and is not printed; B2B cannot donate.',
  },
  print: {
    width: 8,
    zhHelp: '是否列印紙本。Y 時不可有載具、不可捐贈。空白視為 N。',
    enHelp: 'Print a paper copy. Y means no carrier and no donation. Empty means N.',
    codeHelp: 'Y 列印 print; N 不列印 do not print',
  },
  totalAmount: {
    width: 12,
    zhHelp: '發票總計（選填）；有填時須等於明細金額合計（B2B 為含稅：未稅合計 + 5% 稅額，四捨五入）。',
    enHelp:
      'Invoice total (optional); when given it must equal the sum of the lines (B2B: tax included, tax = ' +
      'round(untaxed sum × 5%)).',
  },
  remark: { width: 24, zhHelp: '發票備註。', enHelp: 'Invoice remark (MainRemark).' },
  description: { width: 28, zhHelp: '品名。', enHelp: 'Item description.' },
  quantity: { width: 10, zhHelp: '數量。', enHelp: 'Quantity.' },
  unit: { width: 8, zhHelp: '單位。', enHelp: 'Unit.' },
  unitPrice: {
    width: 12,
    zhHelp: '單價：B2C 為含稅價，B2B 為未稅價。',
    enHelp: 'Unit price: tax included for B2C, untaxed for B2B.',
  },
  amount: {
    width: 12,
    zhHelp: '金額，須等於 數量 × 單價（B2C 含稅、B2B 未稅）。',
    enHelp: 'Amount; must equal Quantity × UnitPrice (B2C tax included, B2B untaxed).',
  },
  lineTaxType: {
    width: 12,
    zhHelp: '明細課稅別；課稅別 9 時每一明細必填，其他課稅別可空白（若填須與課稅別相同）。',
    enHelp: 'Line tax type; required on every line when TaxType is 9, otherwise empty or equal to TaxType.',
    codeHelp: '1 應稅 taxable; 2 零稅率 zero-rated; 3 免稅 exempt',
  },
  lineRemark: { width: 20, zhHelp: '明細備註。', enHelp: 'Line remark.' },
};

const EXAMPLE_ROWS: Partial<Record<OrderColumnKey, string | number>>[] = [
  {
    billingNo: 'ORD-0001',
    buyerEmail: 'buyer@example.com',
    invoiceType: '07',
    taxType: '1',
    carrierType: '3J0002',
    carrierId: '/ABC+123',
    print: 'N',
    totalAmount: 1050,
    remark: '範例 B2C 訂單（兩個明細）example B2C order, two lines',
    description: '咖啡豆 Coffee beans',
    quantity: 2,
    unit: '包',
    unitPrice: 350,
    amount: 700,
  },
  { billingNo: 'ORD-0001', description: '濾紙 Filter paper', quantity: 5, unit: '盒', unitPrice: 70, amount: 350 },
  {
    billingNo: 'ORD-0002',
    buyerBan: '53212539',
    buyerName: '範例股份有限公司 Example Co., Ltd.',
    buyerAddress: '臺北市中正區重慶南路一段 2 號',
    buyerEmail: 'ap@example.com.tw',
    invoiceType: '07',
    taxType: '1',
    print: 'Y',
    totalAmount: 10500,
    remark: '範例 B2B 訂單：金額為未稅，總計含稅 example B2B order: untaxed amounts, total with tax',
    description: '顧問服務 Consulting',
    quantity: 1,
    unit: '式',
    unitPrice: 10000,
    amount: 10000,
  },
];

const GENERAL_RULES: [string, string][] = [
  [
    '一列一個明細；相同訂單編號的多列合併為一張發票。發票層級欄位（A–O）可只填在該訂單第一列，或每列重複填寫（須一致）。',
    'One row per invoice line; rows with the same BillingNo form one invoice. Invoice-level columns (A–O) may be ' +
      "filled on the order's first row only, or repeated on every row (they must then agree).",
  ],
  [
    '有買方統編 = B2B（三聯式）：單價、金額為未稅，稅額另計（5%，四捨五入）。無統編 = B2C（二聯式）：單價、金額為含稅。',
    'With a BuyerBAN the invoice is B2B: unit prices and amounts are untaxed, tax (5%, rounded) is added. ' +
      'Without one it is B2C: unit prices and amounts include tax.',
  ],
  [
    '數量 × 單價 須等於 金額；有填總計時，須等於各明細金額合計（B2B 為含稅總計）。',
    'Quantity × UnitPrice must equal Amount; a TotalAmount, when given, must equal the lines (B2B: with tax).',
  ],
  [
    '載具、捐贈、列印三者擇一：捐贈時不可有載具或列印；列印 Y 時不可有載具或捐贈；有統編（B2B）不可捐贈。',
    'Carrier, donation and print exclude each other: a donation has no carrier and no print; Print Y has no ' +
      'carrier and no donation; a B2B buyer cannot donate.',
  ],
  [
    '課稅別 2（零稅率）須填通關方式與零稅率原因；課稅別 9（混合）僅限 B2C，且每一明細須填明細課稅別（1/2/3）。',
    'Tax type 2 (zero-rated) needs CustomsClearanceMark and ZeroTaxRateReason; tax type 9 (mixed) is B2C only and ' +
      'every line needs its LineTaxType (1/2/3).',
  ],
  [
    '不可修改、刪除或移動標題列，不可使用公式；每檔最多 10,000 列資料。',
    'Do not change, delete or move the header row; no formulas; at most 10,000 data rows per file.',
  ],
  [
    '範例列（ORD-0001、ORD-0002）是資料，上傳前請以您的訂單取代。',
    'The example rows (ORD-0001, ORD-0002) are data: replace them with your orders before uploading.',
  ],
  [
    '上傳後系統先顯示預覽（讀取筆數、可匯入筆數、每列錯誤），確認後才依序取號開立。',
    'After upload a preview shows rows read, rows importable and every error; nothing is issued until you confirm.',
  ],
];

/** exceljs keeps range validations in `worksheet.dataValidations`, which its typings omit. */
export type WorksheetWithValidations = ExcelJS.Worksheet & {
  dataValidations: {
    model: Record<string, ExcelJS.DataValidation>;
    add(address: string, validation: ExcelJS.DataValidation): void;
  };
};

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
const REQUIRED_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFCE4D6' } };

/** The order template: header, a filled example, drop-downs on coded columns and an instructions sheet. */
export async function buildOrderTemplate(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'e-invoice back office';
  const sheet = workbook.addWorksheet(ORDER_SHEET_NAME, {
    views: [{ state: 'frozen', xSplit: 1, ySplit: 1, topLeftCell: 'B2', activeCell: 'A2' }],
  });
  sheet.columns = ORDER_COLUMNS.map((column) => ({
    key: column.key,
    width: Math.max(HELP[column.key].width, orderColumnHeader(column).length + 6),
    // Text format keeps leading zeros (BAN, codes such as 07, donation codes) when staff type them.
    style: ORDER_CELL_KINDS[column.key] === 'number' ? {} : { numFmt: '@' },
  }));
  const header = sheet.getRow(1);
  ORDER_COLUMNS.forEach((column, i) => {
    const cell = header.getCell(i + 1);
    cell.value = orderColumnHeader(column);
    cell.font = { bold: true };
    cell.fill = column.required ? REQUIRED_FILL : HEADER_FILL;
    cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    cell.border = { bottom: { style: 'thin' } };
  });
  header.height = 30;
  for (const example of EXAMPLE_ROWS) {
    sheet.addRow(ORDER_COLUMNS.map((column) => example[column.key] ?? null));
  }
  ORDER_COLUMNS.forEach((column, i) => {
    if (!('codes' in column)) return;
    const letter = columnLetter(i);
    const codes: readonly string[] = column.codes;
    (sheet as WorksheetWithValidations).dataValidations.add(`${letter}2:${letter}${MAX_ORDER_ROWS + 1}`, {
      type: 'list',
      allowBlank: true,
      formulae: [`"${codes.join(',')}"`],
      showErrorMessage: true,
      errorStyle: 'stop',
      errorTitle: orderColumnHeader(column),
      error: `${column.zh}: ${codes.join(' / ')}`,
      showInputMessage: true,
      promptTitle: orderColumnHeader(column),
      prompt: HELP[column.key].codeHelp ?? codes.join(' / '),
    });
  });
  sheet.autoFilter = { from: 'A1', to: `${columnLetter(ORDER_COLUMNS.length - 1)}1` };

  addInstructionsSheet(workbook);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function addInstructionsSheet(workbook: ExcelJS.Workbook): void {
  const sheet = workbook.addWorksheet(ORDER_INSTRUCTIONS_SHEET_NAME);
  sheet.columns = [
    { width: 8 },
    { width: 30 },
    { width: 10 },
    { width: 48 },
    { width: 60 },
    { width: 50 },
  ];
  const title = sheet.addRow(['訂單匯入範本說明 Order import template instructions']);
  title.font = { bold: true, size: 14 };
  sheet.addRow([]);
  sheet.addRow(['', '規則 Rules']).font = { bold: true };
  GENERAL_RULES.forEach(([zh, en], i) => {
    const row = sheet.addRow([i + 1, zh, '', '', en]);
    sheet.mergeCells(row.number, 2, row.number, 4);
    row.alignment = { wrapText: true, vertical: 'top' };
  });
  sheet.addRow([]);
  const header = sheet.addRow(['欄 Col', '欄位 Field', '必填 Required', '說明', 'Description', '代碼 Codes']);
  header.font = { bold: true };
  header.eachCell((cell) => {
    cell.fill = HEADER_FILL;
  });
  ORDER_COLUMNS.forEach((column, i) => {
    const spec = HELP[column.key];
    const level = column.level === 'invoice' ? '（發票層級 invoice level）' : '（明細 line）';
    const row = sheet.addRow([
      columnLetter(i),
      `${orderColumnHeader(column)}${level}`,
      column.required ? '必填 Yes' : '選填 No',
      spec.zhHelp,
      spec.enHelp,
      spec.codeHelp ?? '',
    ]);
    row.alignment = { wrapText: true, vertical: 'top' };
  });
}
