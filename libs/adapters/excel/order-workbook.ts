import ExcelJS from 'exceljs';
import { DomainError, ErrorDetail } from '../../domain/domain-error';
import { InvoiceType } from '../../domain/track-file';
import {
  CarrierType,
  InvoiceInput,
  InvoiceLineInput,
  InvoiceTaxType,
  LineTaxType,
} from '../../domain/invoice/invoice.types';
import { validateInvoiceInput } from '../../domain/invoice/validate-invoice';

/**
 * The EINV111 order workbook: the template staff download, and the reader that turns a filled copy into invoice
 * inputs plus every problem by sheet row and column. One row per invoice line; the rows of one BillingNo form one
 * invoice. Nothing here touches the database: BillingNo against issued invoices and the number stock are the
 * import service's checks.
 */

export const ORDER_SHEET_NAME = '訂單 Orders';
export const ORDER_INSTRUCTIONS_SHEET_NAME = '說明 Instructions';
export const MAX_ORDER_ROWS = 10_000;

export interface OrderColumn {
  key: string;
  zh: string;
  en: string;
  level: 'invoice' | 'line';
  required: boolean;
  codes?: string[];
}

/** The template's columns, in sheet order (A, B, …). The header cell of each is `中文名 (EnglishName)`. */
export const ORDER_COLUMNS = [
  { key: 'billingNo', zh: '訂單編號', en: 'BillingNo', level: 'invoice', required: true },
  { key: 'buyerBan', zh: '買方統編', en: 'BuyerBAN', level: 'invoice', required: false },
  { key: 'buyerName', zh: '買方名稱', en: 'BuyerName', level: 'invoice', required: false },
  { key: 'buyerAddress', zh: '買方地址', en: 'BuyerAddress', level: 'invoice', required: false },
  { key: 'buyerEmail', zh: '買方Email', en: 'BuyerEmail', level: 'invoice', required: false },
  { key: 'invoiceType', zh: '發票類別', en: 'InvoiceType', level: 'invoice', required: false, codes: ['07', '08'] },
  { key: 'taxType', zh: '課稅別', en: 'TaxType', level: 'invoice', required: true, codes: ['1', '2', '3', '9'] },
  {
    key: 'customsClearanceMark',
    zh: '通關方式',
    en: 'CustomsClearanceMark',
    level: 'invoice',
    required: false,
    codes: ['1', '2'],
  },
  {
    key: 'zeroTaxRateReason',
    zh: '零稅率原因',
    en: 'ZeroTaxRateReason',
    level: 'invoice',
    required: false,
    codes: ['71', '72', '73', '74', '75', '76', '77', '78', '79'],
  },
  { key: 'carrierType', zh: '載具類別', en: 'CarrierType', level: 'invoice', required: false, codes: ['3J0002', 'CQ0001'] },
  { key: 'carrierId', zh: '載具號碼', en: 'CarrierId', level: 'invoice', required: false },
  { key: 'npoban', zh: '捐贈碼', en: 'NPOBAN', level: 'invoice', required: false },
  { key: 'print', zh: '列印', en: 'Print', level: 'invoice', required: false, codes: ['Y', 'N'] },
  { key: 'totalAmount', zh: '總計', en: 'TotalAmount', level: 'invoice', required: false },
  { key: 'remark', zh: '備註', en: 'Remark', level: 'invoice', required: false },
  { key: 'description', zh: '品名', en: 'Description', level: 'line', required: true },
  { key: 'quantity', zh: '數量', en: 'Quantity', level: 'line', required: true },
  { key: 'unit', zh: '單位', en: 'Unit', level: 'line', required: false },
  { key: 'unitPrice', zh: '單價', en: 'UnitPrice', level: 'line', required: true },
  { key: 'amount', zh: '金額', en: 'Amount', level: 'line', required: true },
  { key: 'lineTaxType', zh: '明細課稅別', en: 'LineTaxType', level: 'line', required: false, codes: ['1', '2', '3'] },
  { key: 'lineRemark', zh: '明細備註', en: 'LineRemark', level: 'line', required: false },
] as const satisfies readonly OrderColumn[];

export type OrderColumnKey = (typeof ORDER_COLUMNS)[number]['key'];

export interface ParsedOrder {
  /** 0-based position of the order's BillingNo by first appearance in the file (over all orders, importable or not). */
  ordinal: number;
  billingNo: string;
  /** Sheet row numbers of the order's lines, in sheet order (= line order). */
  rows: number[];
  input: InvoiceInput;
}

export interface OrderWorkbookResult {
  /** Non-empty data rows. */
  rowsRead: number;
  /** Rows belonging to orders without any error. */
  rowsImportable: number;
  /** Importable orders, in order of first appearance. */
  orders: ParsedOrder[];
  /** Every row-level problem, sorted by row then column. */
  errors: ErrorDetail[];
}

export interface ReadOrderWorkbookOptions {
  /** Most data rows accepted; more rejects the file. Default 10,000. */
  maxRows?: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Column metadata

type CellKind = 'text' | 'ban' | 'number' | 'code' | 'yesNo';

interface ColumnSpec {
  kind: CellKind;
  width: number;
  /** Instructions sheet text. */
  zhHelp: string;
  enHelp: string;
  /** Code meanings for the instructions sheet. */
  codeHelp?: string;
}

const SPECS: Record<OrderColumnKey, ColumnSpec> = {
  billingNo: {
    kind: 'text',
    width: 16,
    zhHelp: '訂單編號，同一檔案內相同編號的多列合併為一張發票（多明細）；已開立的編號不可重複開立（須先作廢）。',
    enHelp:
      'Order number. Rows with the same BillingNo form one invoice (one row per line). A BillingNo already issued ' +
      'cannot be issued again unless its invoice was voided.',
  },
  buyerBan: {
    kind: 'ban',
    width: 12,
    zhHelp: '買方統一編號 8 碼（須通過檢查碼）。有填 = B2B（三聯式）；空白 = B2C（二聯式）。',
    enHelp: 'Buyer business number, 8 digits with a valid checksum. Present = B2B invoice; empty = B2C invoice.',
  },
  buyerName: {
    kind: 'text',
    width: 24,
    zhHelp: '買方名稱；有統編（B2B）時必填。',
    enHelp: 'Buyer name; required when a BuyerBAN is given (B2B).',
  },
  buyerAddress: { kind: 'text', width: 28, zhHelp: '買方地址。', enHelp: 'Buyer address.' },
  buyerEmail: {
    kind: 'text',
    width: 24,
    zhHelp: '買方 Email；有填時開立後以 Email 通知。',
    enHelp: 'Buyer e-mail; when given the buyer is notified by e-mail after issue.',
  },
  invoiceType: {
    kind: 'code',
    width: 10,
    zhHelp: '發票類別，空白視為 07。',
    enHelp: 'Invoice type; empty means 07.',
    codeHelp: '07 一般稅額 general tax (課稅別 1/2/3/9); 08 特種稅額 special tax',
  },
  taxType: {
    kind: 'code',
    width: 8,
    zhHelp: '課稅別。2 零稅率須填通關方式與零稅率原因；9 混合稅率僅限 B2C，且每一明細須填明細課稅別。',
    enHelp:
      'Tax type. 2 (zero-rated) needs CustomsClearanceMark and ZeroTaxRateReason; 9 (mixed) is B2C only and every ' +
      'line then needs its LineTaxType.',
    codeHelp: '1 應稅 taxable; 2 零稅率 zero-rated; 3 免稅 exempt; 9 混合 mixed (B2C only)',
  },
  customsClearanceMark: {
    kind: 'code',
    width: 10,
    zhHelp: '通關方式，課稅別 2 時必填。',
    enHelp: 'Customs clearance mark; required for tax type 2.',
    codeHelp: '1 非經海關出口 not through customs; 2 經海關出口 through customs',
  },
  zeroTaxRateReason: {
    kind: 'code',
    width: 10,
    zhHelp: '零稅率原因（營業稅法第 7 條各款），課稅別 2 時必填。',
    enHelp: 'Zero tax rate reason (VAT Act art. 7); required for tax type 2.',
    codeHelp: '71–79',
  },
  carrierType: {
    kind: 'code',
    width: 10,
    zhHelp: '載具類別，與載具號碼同時填寫。有載具時不可捐贈、不可列印。',
    enHelp: 'Carrier type, given together with CarrierId. With a carrier: no donation, no print.',
    codeHelp: '3J0002 手機條碼 mobile barcode; CQ0001 自然人憑證 citizen certificate',
  },
  carrierId: {
    kind: 'text',
    width: 18,
    zhHelp: '載具號碼。手機條碼：/ 開頭共 8 碼（0-9 A-Z . + -）；自然人憑證：2 碼大寫英文 + 14 碼數字。',
    enHelp:
      'Carrier id. Mobile barcode: "/" then 7 of 0-9 A-Z . + - (8 characters); citizen certificate: 2 uppercase ' +
      'letters and 14 digits.',
  },
  npoban: {
    kind: 'text',
    width: 10,
    zhHelp: '捐贈碼（愛心碼）3–7 碼數字。捐贈時不可有載具、不可列印；有統編（B2B）不可捐贈。',
    enHelp: 'Donation code, 3–7 digits. A donated invoice has no carrier and is not printed; B2B cannot donate.',
  },
  print: {
    kind: 'yesNo',
    width: 8,
    zhHelp: '是否列印紙本。Y 時不可有載具、不可捐贈。空白視為 N。',
    enHelp: 'Print a paper copy. Y means no carrier and no donation. Empty means N.',
    codeHelp: 'Y 列印 print; N 不列印 do not print',
  },
  totalAmount: {
    kind: 'number',
    width: 12,
    zhHelp: '發票總計（選填）；有填時須等於明細金額合計（B2B 為含稅：未稅合計 + 5% 稅額，四捨五入）。',
    enHelp:
      'Invoice total (optional); when given it must equal the sum of the lines (B2B: tax included, tax = ' +
      'round(untaxed sum × 5%)).',
  },
  remark: { kind: 'text', width: 24, zhHelp: '發票備註。', enHelp: 'Invoice remark (MainRemark).' },
  description: { kind: 'text', width: 28, zhHelp: '品名。', enHelp: 'Item description.' },
  quantity: { kind: 'number', width: 10, zhHelp: '數量。', enHelp: 'Quantity.' },
  unit: { kind: 'text', width: 8, zhHelp: '單位。', enHelp: 'Unit.' },
  unitPrice: {
    kind: 'number',
    width: 12,
    zhHelp: '單價：B2C 為含稅價，B2B 為未稅價。',
    enHelp: 'Unit price: tax included for B2C, untaxed for B2B.',
  },
  amount: {
    kind: 'number',
    width: 12,
    zhHelp: '金額，須等於 數量 × 單價（B2C 含稅、B2B 未稅）。',
    enHelp: 'Amount; must equal Quantity × UnitPrice (B2C tax included, B2B untaxed).',
  },
  lineTaxType: {
    kind: 'code',
    width: 12,
    zhHelp: '明細課稅別；課稅別 9 時每一明細必填，其他課稅別可空白（若填須與課稅別相同）。',
    enHelp: 'Line tax type; required on every line when TaxType is 9, otherwise empty or equal to TaxType.',
    codeHelp: '1 應稅 taxable; 2 零稅率 zero-rated; 3 免稅 exempt',
  },
  lineRemark: { kind: 'text', width: 20, zhHelp: '明細備註。', enHelp: 'Line remark.' },
};

/** Excel column letter of a 0-based column index (A … Z, AA …). */
export function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rest = (n - 1) % 26;
    letters = String.fromCharCode(65 + rest) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** The header cell text of a column: `中文名 (EnglishName)`. */
export function orderColumnHeader(column: OrderColumn): string {
  return `${column.zh} (${column.en})`;
}

const COLUMN_INDEX = new Map<OrderColumnKey, number>(ORDER_COLUMNS.map((c, i) => [c.key, i]));

/** How errors name a column: `<letter> <中文名>`, e.g. `B 買方統編`. */
export function orderColumnLabel(key: OrderColumnKey): string {
  const index = COLUMN_INDEX.get(key)!;
  return `${columnLetter(index)} ${ORDER_COLUMNS[index].zh}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Template

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
    width: Math.max(SPECS[column.key].width, orderColumnHeader(column).length + 6),
    // Text format keeps leading zeros (BAN, codes such as 07, donation codes) when staff type them.
    style: SPECS[column.key].kind === 'number' ? {} : { numFmt: '@' },
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
      prompt: SPECS[column.key].codeHelp ?? codes.join(' / '),
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
    const spec = SPECS[column.key];
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

// ---------------------------------------------------------------------------------------------------------------
// Reading

type Scalar = string | number | boolean | Date | { error: string };

/** The plain value of a cell: trimmed text (undefined when blank), number, boolean, date or an Excel error. */
function scalarOf(value: ExcelJS.CellValue): Scalar | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') {
    const text = value.trim();
    return text === '' ? undefined : text;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  if (typeof value === 'object') {
    if ('richText' in value) return scalarOf(value.richText.map((part) => part.text).join(''));
    if ('hyperlink' in value) return scalarOf(value.text as ExcelJS.CellValue);
    if ('error' in value) return { error: String(value.error) };
    if ('result' in value) return scalarOf((value.result ?? null) as ExcelJS.CellValue);
  }
  return String(value);
}

type Parsed = string | number | boolean;
type ParseResult = { ok: true; value: Parsed } | { ok: false; code: string; message: string };

const NUMERIC_TEXT = /^[+-]?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?$/;

function describe(scalar: Scalar): string {
  if (scalar instanceof Date) return `a date (${scalar.toISOString().slice(0, 10)})`;
  if (typeof scalar === 'object') return `an Excel error (${scalar.error})`;
  if (typeof scalar === 'boolean') return `a TRUE/FALSE value`;
  return `"${scalar}"`;
}

function typeError(column: OrderColumn, scalar: Scalar, expected: string): ParseResult {
  return {
    ok: false,
    code: 'ORDER.CELL_TYPE',
    message: `${orderColumnHeader(column)}: expected ${expected}, found ${describe(scalar)}`,
  };
}

function parseCell(column: OrderColumn, scalar: Scalar): ParseResult {
  const kind = SPECS[column.key as OrderColumnKey].kind;
  if (scalar instanceof Date || (typeof scalar === 'object' && 'error' in scalar)) {
    return typeError(column, scalar, kind === 'number' ? 'a number' : 'text (format the column as text)');
  }
  switch (kind) {
    case 'number': {
      if (typeof scalar === 'number') {
        return Number.isFinite(scalar) ? { ok: true, value: scalar } : typeError(column, scalar, 'a number');
      }
      if (typeof scalar === 'string' && NUMERIC_TEXT.test(scalar)) {
        return { ok: true, value: Number(scalar.replace(/,/g, '')) };
      }
      return { ok: false, code: 'ORDER.NOT_A_NUMBER', message: `${orderColumnHeader(column)}: ${describe(scalar)} is not a number` };
    }
    case 'ban': {
      if (typeof scalar === 'number') {
        // Excel drops the leading zeros of a BAN typed into a General cell; put them back.
        if (Number.isInteger(scalar) && scalar >= 0 && scalar < 1e8) return { ok: true, value: String(scalar).padStart(8, '0') };
        return typeError(column, scalar, 'an 8-digit business number');
      }
      if (typeof scalar === 'string') return { ok: true, value: scalar };
      return typeError(column, scalar, 'an 8-digit business number');
    }
    case 'text': {
      if (typeof scalar === 'string') return { ok: true, value: scalar };
      // A number typed into a text column (an all-digit BillingNo, a donation code) is its digits, unless it is
      // too long for a number to hold them all exactly.
      const exact = Number.isInteger(scalar) ? Number.isSafeInteger(scalar) : !/e/i.test(String(scalar));
      if (typeof scalar === 'number' && Number.isFinite(scalar) && exact) {
        return { ok: true, value: String(scalar) };
      }
      return typeError(column, scalar, 'text (format the column as text)');
    }
    case 'yesNo': {
      if (typeof scalar === 'boolean') return { ok: true, value: scalar };
      const text = String(scalar).toUpperCase();
      if (text === 'Y' || text === 'N') return { ok: true, value: text === 'Y' };
      return codeError(column, scalar);
    }
    case 'code': {
      if (typeof scalar === 'boolean') return codeError(column, scalar);
      let text = String(scalar).toUpperCase();
      if (column.key === 'invoiceType' && /^[78]$/.test(text)) text = `0${text}`;
      return (column.codes ?? []).includes(text) ? { ok: true, value: text } : codeError(column, scalar);
    }
  }
}

function codeError(column: OrderColumn, scalar: Scalar): ParseResult {
  return {
    ok: false,
    code: 'ORDER.CODE_INVALID',
    message: `${orderColumnHeader(column)}: ${describe(scalar)} is not one of ${(column.codes ?? []).join(', ')}`,
  };
}

interface SheetRow {
  row: number;
  values: Partial<Record<OrderColumnKey, Parsed>>;
  /** Columns that have a value in the sheet but failed to parse. */
  failed: Set<OrderColumnKey>;
}

interface OrderGroup {
  ordinal: number;
  billingNo: string;
  rows: SheetRow[];
}

function fail(code: string, message: string, details: ErrorDetail[] = [{ code, message }]): never {
  throw new DomainError('invalid', code, message, details);
}

async function loadWorkbook(content: Buffer): Promise<ExcelJS.Workbook> {
  // An xlsx is a zip archive: anything else (CSV, an old .xls, random bytes) is refused before parsing.
  const isZip = content.length >= 4 && content.readUInt32LE(0) === 0x04034b50;
  const notXlsx = 'the file is not an Excel workbook (.xlsx); save it as "Excel Workbook (*.xlsx)" and upload again';
  if (!isZip) fail('WORKBOOK.NOT_XLSX', notXlsx);
  const workbook = new ExcelJS.Workbook();
  try {
    // The reader needs values only; the template's drop-downs would expand to one entry per cell.
    await workbook.xlsx.load(content as unknown as ArrayBuffer, { ignoreNodes: ['dataValidations', 'conditionalFormatting'] });
  } catch (error) {
    fail('WORKBOOK.NOT_XLSX', `${notXlsx} (${(error as Error).message})`);
  }
  return workbook;
}

function headerProblems(sheet: ExcelJS.Worksheet): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const row = sheet.getRow(1);
  const text = (col: number) => {
    const scalar = scalarOf(row.getCell(col).value);
    return scalar === undefined ? '' : String(scalar).replace(/\s+/g, ' ');
  };
  ORDER_COLUMNS.forEach((column, i) => {
    const expected = orderColumnHeader(column);
    const found = text(i + 1);
    if (found !== expected) {
      problems.push({
        row: 1,
        column: columnLabelAt(i),
        code: 'WORKBOOK.HEADER_CHANGED',
        message: `column ${columnLetter(i)} must be headed "${expected}", found ${found ? `"${found}"` : 'nothing'}`,
      });
    }
  });
  for (let col = ORDER_COLUMNS.length + 1; col <= Math.max(row.cellCount, sheet.columnCount); col++) {
    const found = text(col);
    if (found) {
      problems.push({
        row: 1,
        column: columnLetter(col - 1),
        code: 'WORKBOOK.HEADER_CHANGED',
        message: `column ${columnLetter(col - 1)} ("${found}") is not a template column; remove it`,
      });
    }
  }
  return problems;
}

function pickOrderSheet(workbook: ExcelJS.Workbook): ExcelJS.Worksheet {
  const sheets = workbook.worksheets;
  if (sheets.length === 0) fail('WORKBOOK.NO_ORDER_SHEET', 'the workbook has no worksheet');
  const named = sheets.find((s) => s.name.trim() === ORDER_SHEET_NAME);
  const candidate = named ?? sheets.find((s) => headerProblems(s).length === 0) ?? sheets[0];
  const problems = headerProblems(candidate);
  if (problems.length > 0) {
    const where = named ? `sheet "${ORDER_SHEET_NAME}"` : `no sheet "${ORDER_SHEET_NAME}" and sheet "${candidate.name}"`;
    fail(
      'WORKBOOK.HEADER_CHANGED',
      `the header row was changed (${where}): ${problems[0].message}; download the template again`,
      problems,
    );
  }
  return candidate;
}

/** `<letter> <中文名>` for a template column, the bare letter beyond them. */
function columnLabelAt(index: number): string {
  const column = ORDER_COLUMNS[index];
  return column ? `${columnLetter(index)} ${column.zh}` : columnLetter(index);
}

function formulaCells(sheet: ExcelJS.Worksheet): ErrorDetail[] {
  const found: ErrorDetail[] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      if (cell.type !== ExcelJS.ValueType.Formula) return;
      const formula = cell.formula ? ` (=${cell.formula})` : '';
      found.push({
        row: row.number,
        column: columnLabelAt(col - 1),
        code: 'WORKBOOK.FORMULA',
        message: `cell ${cell.address} contains a formula${formula}; paste values only`,
      });
    });
  });
  return found;
}

/**
 * Reads a filled order workbook. Whole-file problems (not an xlsx, header changed, formulas, too many or no rows)
 * throw a DomainError; row problems are returned in `errors` by sheet row and column, and only orders without any
 * error are returned in `orders`.
 */
export async function readOrderWorkbook(
  content: Buffer,
  options: ReadOrderWorkbookOptions = {},
): Promise<OrderWorkbookResult> {
  const maxRows = options.maxRows ?? MAX_ORDER_ROWS;
  const workbook = await loadWorkbook(content);
  const sheet = pickOrderSheet(workbook);

  const formulas = formulaCells(sheet);
  if (formulas.length > 0) {
    fail(
      'WORKBOOK.FORMULA',
      `the workbook contains ${formulas.length} formula cell(s), first ${formulas[0].message}; nothing was imported`,
      formulas.slice(0, 100),
    );
  }

  const errors: ErrorDetail[] = [];
  const rows: { row: number; scalars: (Scalar | undefined)[] }[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (rowNumber === 1) return;
    const scalars: (Scalar | undefined)[] = [];
    let empty = true;
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      const scalar = scalarOf(cell.value);
      if (scalar === undefined) return;
      empty = false;
      scalars[col - 1] = scalar;
    });
    if (!empty) rows.push({ row: rowNumber, scalars });
  });
  if (rows.length > maxRows) {
    fail(
      'WORKBOOK.TOO_MANY_ROWS',
      `the sheet has ${rows.length} data rows; at most ${maxRows} are accepted per file — split it into several files`,
    );
  }
  if (rows.length === 0) fail('WORKBOOK.EMPTY', 'the sheet has no data rows below the header');

  const groups = new Map<string, OrderGroup>();
  for (const { row, scalars } of rows) {
    const parsed: SheetRow = { row, values: {}, failed: new Set() };
    scalars.forEach((scalar, i) => {
      if (scalar === undefined) return;
      const column = ORDER_COLUMNS[i];
      if (!column) {
        errors.push({
          row,
          column: columnLetter(i),
          code: 'ORDER.UNEXPECTED_CELL',
          message: `cell ${columnLetter(i)}${row} is outside the template's columns; clear it`,
        });
        return;
      }
      const result = parseCell(column, scalar);
      if (result.ok) {
        parsed.values[column.key] = result.value;
      } else {
        parsed.failed.add(column.key);
        errors.push({ row, column: orderColumnLabel(column.key), code: result.code, message: result.message });
      }
    });
    const billingNo = parsed.values.billingNo;
    if (billingNo === undefined) {
      if (!parsed.failed.has('billingNo')) {
        errors.push(requiredError(row, 'billingNo', 'every row needs the BillingNo of its order'));
      }
      continue;
    }
    const key = String(billingNo);
    const group = groups.get(key) ?? { ordinal: groups.size, billingNo: key, rows: [] };
    group.rows.push(parsed);
    groups.set(key, group);
  }

  const checked = [...groups.values()].map((group) => ({ group, ...checkOrder(group) }));
  for (const order of checked) errors.push(...order.errors);
  const rowsInError = new Set(errors.map((e) => e.row));
  const orders: ParsedOrder[] = [];
  let rowsImportable = 0;
  for (const { group, input } of checked) {
    if (group.rows.some((r) => rowsInError.has(r.row))) continue;
    orders.push({ ordinal: group.ordinal, billingNo: group.billingNo, rows: group.rows.map((r) => r.row), input });
    rowsImportable += group.rows.length;
  }
  return { rowsRead: rows.length, rowsImportable, orders, errors: sortErrors(errors) };
}

function requiredError(row: number, key: OrderColumnKey, why?: string): ErrorDetail {
  const column = ORDER_COLUMNS[COLUMN_INDEX.get(key)!];
  return {
    row,
    column: orderColumnLabel(key),
    code: 'ORDER.REQUIRED',
    message: `${orderColumnHeader(column)} is required${why ? `: ${why}` : ''}`,
  };
}

const INVOICE_KEYS = ORDER_COLUMNS.filter((c) => c.level === 'invoice').map((c) => c.key);

interface Assembled {
  input: InvoiceInput;
  /** Row that supplied each invoice-level value (the order's first row when none did). */
  sourceRow: Partial<Record<OrderColumnKey, number>>;
  /** Invoice-level columns whose value could not be read; line-level ones are in each row's `failed`. */
  failed: Set<OrderColumnKey>;
  errors: ErrorDetail[];
}

/** Builds the invoice input of an order; placeholders stand in for unreadable cells (their errors are reported). */
function assemble(group: OrderGroup): Assembled {
  const errors: ErrorDetail[] = [];
  const first = group.rows[0].row;
  const value: Partial<Record<OrderColumnKey, Parsed>> = {};
  const sourceRow: Partial<Record<OrderColumnKey, number>> = {};
  const failed = new Set<OrderColumnKey>();
  for (const key of INVOICE_KEYS) {
    for (const row of group.rows) {
      if (row.failed.has(key)) {
        if (!(key in sourceRow)) {
          failed.add(key);
          sourceRow[key] = row.row;
        }
        continue;
      }
      const v = row.values[key];
      if (v === undefined) continue;
      if (!(key in sourceRow)) {
        value[key] = v;
        sourceRow[key] = row.row;
      } else if (!failed.has(key) && value[key] !== v) {
        const column = ORDER_COLUMNS[COLUMN_INDEX.get(key)!];
        errors.push({
          row: row.row,
          column: orderColumnLabel(key),
          code: 'ORDER.CONFLICTING_VALUE',
          message:
            `${orderColumnHeader(column)} of order ${group.billingNo} is "${show(value[key])}" on row ` +
            `${sourceRow[key]} but "${show(v)}" here; repeat the same value or leave it empty after the first row`,
        });
      }
    }
  }
  if (value.taxType === undefined && !failed.has('taxType')) errors.push(requiredError(first, 'taxType'));
  // Half a carrier: report the missing half where the other half is, and validate the rest as if it had a carrier.
  const pairs = [
    ['carrierType', 'carrierId', 'a carrier needs its id'],
    ['carrierId', 'carrierType', 'a carrier id needs its type'],
  ] as const;
  for (const [present, missing, why] of pairs) {
    if (sourceRow[present] !== undefined && sourceRow[missing] === undefined) {
      sourceRow[missing] = sourceRow[present];
      errors.push(requiredError(sourceRow[missing], missing, why));
    }
  }

  const lines: InvoiceLineInput[] = group.rows.map((row) => {
    for (const key of ['description', 'quantity', 'unitPrice', 'amount'] as const) {
      if (row.values[key] === undefined && !row.failed.has(key)) {
        errors.push(requiredError(row.row, key));
        row.failed.add(key);
      }
    }
    const v = row.values;
    return compact({
      description: str(v.description) ?? '',
      quantity: num(v.quantity),
      unitPrice: num(v.unitPrice),
      amount: num(v.amount),
      unit: str(v.unit),
      taxType: str(v.lineTaxType) as LineTaxType | undefined,
      remark: str(v.lineRemark),
    });
  });

  const hasCarrier = sourceRow.carrierType !== undefined || sourceRow.carrierId !== undefined;
  const hasZeroTax = value.customsClearanceMark !== undefined || value.zeroTaxRateReason !== undefined;
  const input: InvoiceInput = compact({
    billingNo: group.billingNo,
    invoiceType: str(value.invoiceType) as InvoiceType | undefined,
    taxType: (str(value.taxType) ?? '') as InvoiceTaxType,
    buyer: compact({
      ban: str(value.buyerBan),
      name: str(value.buyerName),
      address: str(value.buyerAddress),
      email: str(value.buyerEmail),
    }),
    carrier: hasCarrier
      ? { type: (str(value.carrierType) ?? '') as CarrierType, id: str(value.carrierId) ?? '' }
      : undefined,
    npoban: str(value.npoban),
    print: typeof value.print === 'boolean' ? value.print : undefined,
    zeroTax: hasZeroTax
      ? {
          customsClearanceMark: (str(value.customsClearanceMark) ?? '') as '1' | '2',
          reason: str(value.zeroTaxRateReason) ?? '',
        }
      : undefined,
    lines,
    totalAmount: value.totalAmount === undefined ? undefined : num(value.totalAmount),
    mainRemark: str(value.remark),
  });
  return { input, sourceRow, failed, errors };
}

function show(value: Parsed | undefined): string {
  if (typeof value === 'boolean') return value ? 'Y' : 'N';
  return String(value);
}

function str(value: Parsed | undefined): string | undefined {
  return value === undefined ? undefined : String(value);
}

/** Numbers of unreadable or missing cells become 0; their error is already reported and masks what follows. */
function num(value: Parsed | undefined): number {
  return typeof value === 'number' ? value : 0;
}

function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const FIELD_COLUMNS: Record<string, OrderColumnKey> = {
  billingNo: 'billingNo',
  buyer: 'buyerBan',
  'buyer.ban': 'buyerBan',
  'buyer.name': 'buyerName',
  'buyer.address': 'buyerAddress',
  'buyer.email': 'buyerEmail',
  invoiceType: 'invoiceType',
  taxType: 'taxType',
  zeroTax: 'customsClearanceMark',
  'zeroTax.customsClearanceMark': 'customsClearanceMark',
  'zeroTax.reason': 'zeroTaxRateReason',
  carrier: 'carrierType',
  'carrier.type': 'carrierType',
  'carrier.id': 'carrierId',
  npoban: 'npoban',
  print: 'print',
  totalAmount: 'totalAmount',
  mainRemark: 'remark',
  lines: 'description',
};

const LINE_FIELD_COLUMNS: Record<string, OrderColumnKey> = {
  '': 'description',
  description: 'description',
  quantity: 'quantity',
  unit: 'unit',
  unitPrice: 'unitPrice',
  amount: 'amount',
  taxType: 'lineTaxType',
  remark: 'lineRemark',
};

const NUMERIC_LINE_KEYS: OrderColumnKey[] = ['quantity', 'unitPrice', 'amount'];

/**
 * The input and every error of one order: conflicts and missing cells found while assembling it, then the domain
 * validation of the assembled input mapped back to sheet cells. A validation error on a cell that already has an
 * error, or one that follows from an unreadable number (an amount or total check), is dropped: it would only
 * repeat it.
 */
function checkOrder(group: OrderGroup): { input: InvoiceInput; errors: ErrorDetail[] } {
  const { input, sourceRow, failed, errors } = assemble(group);
  const first = group.rows[0].row;
  const unreadable = (row: number, key: OrderColumnKey) =>
    group.rows.some((r) => r.row === row && r.failed.has(key));
  const totalUnreliable =
    failed.has('taxType') ||
    group.rows.some((r) => NUMERIC_LINE_KEYS.some((k) => r.failed.has(k)) || r.failed.has('lineTaxType'));
  const reported = new Set(errors.map((e) => `${e.row}|${e.column}`));

  for (const problem of validateInvoiceInput(input)) {
    const field = problem.field ?? '';
    let row = first;
    let key: OrderColumnKey | undefined;
    const line = /^lines\[(\d+)\](?:\.(\w+))?/.exec(field);
    if (line) {
      const target = group.rows[Number(line[1])];
      row = target?.row ?? first;
      key = LINE_FIELD_COLUMNS[line[2] ?? ''];
      if (target && key === 'amount' && NUMERIC_LINE_KEYS.some((k) => target.failed.has(k))) continue;
      // Line tax types are judged against the invoice's, which could not be read.
      if (key === 'lineTaxType' && (input.taxType as string) === '') continue;
    } else {
      key = FIELD_COLUMNS[field];
      if (field === 'zeroTax' && sourceRow.customsClearanceMark === undefined && sourceRow.zeroTaxRateReason !== undefined) {
        key = 'zeroTaxRateReason';
      }
      if (key && field !== 'lines') row = sourceRow[key] ?? first;
      if (key === 'totalAmount' && totalUnreliable) continue;
    }
    const column = key ? orderColumnLabel(key) : undefined;
    if ((key && unreadable(row, key)) || reported.has(`${row}|${column}`)) continue;
    errors.push(compact({ row, column, field: problem.field, code: problem.code, message: problem.message }));
  }
  return { input, errors };
}

function sortErrors(errors: ErrorDetail[]): ErrorDetail[] {
  const columnOrder = (column?: string) => {
    if (!column) return -1;
    const letters = column.split(' ')[0];
    return [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
  };
  return errors
    .map((error, i) => ({ error, i }))
    .sort((a, b) => (a.error.row ?? 0) - (b.error.row ?? 0) || columnOrder(a.error.column) - columnOrder(b.error.column) || a.i - b.i)
    .map(({ error }) => error);
}
