/** Reading one cell of the order sheet: its plain value, then that value as its column expects it. */

import ExcelJS from 'exceljs';
import { ErrorDetail } from '../../domain/domain-error';
import {
  ORDER_CELL_KINDS,
  OrderCellValue,
  OrderColumn,
  OrderColumnKey,
  orderColumnHeader,
  orderColumnLabelAt,
} from './order-columns';

export type Scalar = string | number | boolean | Date | { error: string };

export type CellParseResult = { ok: true; value: OrderCellValue } | { ok: false; code: string; message: string };

/** The plain value of a cell: trimmed text (undefined when blank), number, boolean, date or an Excel error. */
export function scalarOf(value: ExcelJS.CellValue): Scalar | undefined {
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

/** The error of a formula cell (staff must paste values only), undefined for any other cell. */
export function formulaError(cell: ExcelJS.Cell, rowNumber: number, col: number): ErrorDetail | undefined {
  if (cell.type !== ExcelJS.ValueType.Formula) return undefined;
  const formula = cell.formula ? ` (=${cell.formula})` : '';
  return {
    row: rowNumber,
    column: orderColumnLabelAt(col - 1),
    code: 'WORKBOOK.FORMULA',
    message: `cell ${cell.address} contains a formula${formula}; paste values only`,
  };
}

const NUMERIC_TEXT = /^[+-]?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?$/;

function describe(scalar: Scalar): string {
  if (scalar instanceof Date) return `a date (${scalar.toISOString().slice(0, 10)})`;
  if (typeof scalar === 'object') return `an Excel error (${scalar.error})`;
  if (typeof scalar === 'boolean') return `a TRUE/FALSE value`;
  return `"${scalar}"`;
}

function typeError(column: OrderColumn, scalar: Scalar, expected: string): CellParseResult {
  return {
    ok: false,
    code: 'ORDER.CELL_TYPE',
    message: `${orderColumnHeader(column)}: expected ${expected}, found ${describe(scalar)}`,
  };
}

function codeError(column: OrderColumn, scalar: Scalar): CellParseResult {
  return {
    ok: false,
    code: 'ORDER.CODE_INVALID',
    message: `${orderColumnHeader(column)}: ${describe(scalar)} is not one of ${(column.codes ?? []).join(', ')}`,
  };
}

/** A non-blank cell's value as its column expects it, or the reason it cannot be read. */
export function parseCell(column: OrderColumn, scalar: Scalar): CellParseResult {
  const kind = ORDER_CELL_KINDS[column.key as OrderColumnKey];
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
