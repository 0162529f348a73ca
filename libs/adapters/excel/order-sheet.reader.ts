/**
 * Reading a filled order workbook: the file must be an xlsx whose order sheet keeps the template's header and holds
 * values only; each data row's cells are then read and the rows handed to the order assembly. The sheet is streamed
 * (xlsx-stream.reader.ts), so a file far over the row limit costs no more than the limit.
 */

import ExcelJS from 'exceljs';
import { DomainError, ErrorDetail } from '../../domain/domain-error';
import { AssembledOrders, OrderSheetRow, assembleOrders } from './order-assembly';
import { Scalar, formulaError, parseCell, scalarOf } from './order-cells';
import { XlsxSheet, openXlsxSheets } from './xlsx-stream.reader';
import {
  MAX_ORDER_ROWS,
  ORDER_COLUMNS,
  ORDER_SHEET_NAME,
  OrderCellValue,
  OrderColumnKey,
  columnLetter,
  orderColumnHeader,
  orderColumnLabel,
  orderColumnLabelAt,
} from './order-columns';

export interface OrderWorkbookResult extends AssembledOrders {
  /** Non-empty data rows. */
  rowsRead: number;
}

export interface ReadOrderWorkbookOptions {
  /** Most data rows accepted; more rejects the file. Default 10,000. */
  maxRows?: number;
  /** Most bytes the workbook's parts may inflate to. Default MAX_WORKBOOK_UNZIPPED_BYTES. */
  maxUnzippedBytes?: number;
}

/**
 * Reads a filled order workbook, streaming its order sheet: whole-file problems (not an xlsx, header changed,
 * formulas, too many or no rows, unpacking to too much) throw a DomainError; row problems are returned in `errors` by
 * sheet row and column, and only orders without any error are returned in `orders`. Reading stops at the first row
 * past `maxRows`, so memory stays bounded whatever the file holds.
 */
export async function readOrderWorkbook(
  content: Buffer,
  options: ReadOrderWorkbookOptions = {},
): Promise<OrderWorkbookResult> {
  const maxRows = options.maxRows ?? MAX_ORDER_ROWS;
  const { rows, formulas } = await readOrderSheet(content, maxRows, options.maxUnzippedBytes);
  if (formulas.length > 0) {
    fail(
      'WORKBOOK.FORMULA',
      `the workbook contains ${formulas.length} formula cell(s), first ${formulas[0].message}; nothing was imported`,
      formulas.slice(0, 100),
    );
  }
  if (rows.length === 0) fail('WORKBOOK.EMPTY', 'the sheet has no data rows below the header');
  return { rowsRead: rows.length, ...assembleOrders(rows.map(({ row, scalars }) => readRow(row, scalars))) };
}

interface SheetContent {
  rows: { row: number; scalars: (Scalar | undefined)[] }[];
  formulas: ErrorDetail[];
}

/**
 * The order sheet: the one named so, else the first whose header is the template's (a sheet is left as soon as its
 * header is wrong); when none fits, the header problems of the named sheet, else of the first sheet.
 */
async function readOrderSheet(content: Buffer, maxRows: number, maxUnzippedBytes?: number): Promise<SheetContent> {
  const sheets = await openXlsxSheets(content, maxUnzippedBytes);
  if (sheets.length === 0) fail('WORKBOOK.NO_ORDER_SHEET', 'the workbook has no worksheet');
  const named = sheets.find((sheet) => sheet.name.trim() === ORDER_SHEET_NAME);
  let firstProblems: ErrorDetail[] | undefined;
  for (const sheet of named ? [named] : sheets) {
    const read = await readSheet(sheet, maxRows);
    if (!('problems' in read)) return read;
    firstProblems ??= read.problems;
  }
  const where = named ? `sheet "${ORDER_SHEET_NAME}"` : `no sheet "${ORDER_SHEET_NAME}" and sheet "${sheets[0].name}"`;
  fail(
    'WORKBOOK.HEADER_CHANGED',
    `the header row was changed (${where}): ${firstProblems![0].message}; download the template again`,
    firstProblems,
  );
}

/** One sheet's data rows and formula cells, or its header problems; more than `maxRows` rows rejects the file. */
async function readSheet(sheet: XlsxSheet, maxRows: number): Promise<SheetContent | { problems: ErrorDetail[] }> {
  const rows: SheetContent['rows'] = [];
  const formulas: ErrorDetail[] = [];
  let header = false;
  for await (const row of sheet.rows()) {
    if (!header) {
      // A sheet whose first row with values is below row 1 has an empty header.
      const problems = headerProblems(row.number === 1 ? row : undefined);
      if (problems.length > 0) return { problems };
      header = true;
      if (row.number === 1) continue;
    }
    const scalars: (Scalar | undefined)[] = [];
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      const error = formulaError(cell, row.number, col);
      if (error) formulas.push(error);
      const scalar = scalarOf(cell.value);
      if (scalar !== undefined) scalars[col - 1] = scalar;
    });
    if (scalars.length === 0) continue;
    if (rows.length === maxRows) {
      fail(
        'WORKBOOK.TOO_MANY_ROWS',
        `the sheet has more than ${maxRows} data rows (data row ${maxRows + 1} is sheet row ${row.number}); at most ${maxRows} are accepted per file — split it into several files`,
      );
    }
    rows.push({ row: row.number, scalars });
  }
  return header ? { rows, formulas } : { problems: headerProblems(undefined) };
}

/** The cells of one data row read by their column; cells beyond the template's columns are errors. */
function readRow(row: number, scalars: (Scalar | undefined)[]): OrderSheetRow {
  const values: Partial<Record<OrderColumnKey, OrderCellValue>> = {};
  const failed = new Set<OrderColumnKey>();
  const errors: ErrorDetail[] = [];
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
      values[column.key] = result.value;
    } else {
      failed.add(column.key);
      errors.push({ row, column: orderColumnLabel(column.key), code: result.code, message: result.message });
    }
  });
  return { row, values, failed, errors };
}

function fail(code: string, message: string, details: ErrorDetail[] = [{ code, message }]): never {
  throw new DomainError('invalid', code, message, details);
}

/** What differs from the template's header in row 1 (undefined: the row is empty). */
function headerProblems(row: ExcelJS.Row | undefined): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const text = (col: number) => {
    const scalar = row && scalarOf(row.getCell(col).value);
    return scalar === undefined ? '' : String(scalar).replace(/\s+/g, ' ');
  };
  ORDER_COLUMNS.forEach((column, i) => {
    const expected = orderColumnHeader(column);
    const found = text(i + 1);
    if (found !== expected) {
      problems.push({
        row: 1,
        column: orderColumnLabelAt(i),
        code: 'WORKBOOK.HEADER_CHANGED',
        message: `column ${columnLetter(i)} must be headed "${expected}", found ${found ? `"${found}"` : 'nothing'}`,
      });
    }
  });
  for (let col = ORDER_COLUMNS.length + 1; col <= (row?.cellCount ?? 0); col++) {
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
