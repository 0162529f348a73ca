/**
 * Reading a filled order workbook: the file must be an xlsx whose order sheet keeps the template's header and holds
 * values only; each data row's cells are then read and the rows handed to the order assembly.
 */

import ExcelJS from 'exceljs';
import { DomainError, ErrorDetail } from '../../domain/domain-error';
import { AssembledOrders, OrderSheetRow, assembleOrders } from './order-assembly';
import { Scalar, formulaError, parseCell, scalarOf } from './order-cells';
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

  return { rowsRead: rows.length, ...assembleOrders(rows.map(({ row, scalars }) => readRow(row, scalars))) };
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
        column: orderColumnLabelAt(i),
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

function formulaCells(sheet: ExcelJS.Worksheet): ErrorDetail[] {
  const found: ErrorDetail[] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      const error = formulaError(cell, row.number, col);
      if (error) found.push(error);
    });
  });
  return found;
}
