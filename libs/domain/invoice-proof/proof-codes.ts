import { b2bAmountsFromTaxIncludedTotal, isB2B } from '../invoice/compute-amounts';
import { IssuedInvoice } from '../invoice/invoice.types';
import { migDecimal } from '../mig/mig-xml';
import { periodOf } from '../period';
import { taipeiParts } from '../taipei-time';

/**
 * What each QR code may hold, in UTF-8 bytes. On 57 mm paper two codes stand side by side in the ~48 mm a thermal
 * head prints, each with the spec's 2 mm quiet zone, so a code is at most ~21 mm wide; at 203 dpi a module needs 3
 * printer dots (0.375 mm) to scan reliably from thermal paper, which allows 53 modules: QR version 9. Version 9 at
 * error correction L holds 230 bytes in byte mode, the mode a UTF-8 item name forces, so no text over 230 bytes is
 * ever encoded in a larger (denser) symbol.
 */
export const QR_BYTE_BUDGET = 230;
/** The spec's smallest left code: version 6 (41 × 41 modules), error correction L. */
export const QR_MIN_VERSION = 6;
/** The AES verification's Base64: 16 bytes of ciphertext. */
export const VERIFICATION_LENGTH = 24;
/** 營業人自行使用區, unused. */
const SELLER_AREA = '**********';
/** 中文編碼參數: the item text is UTF-8. */
const UTF8_ENCODING = '1';
/** The right code's start marker. */
const RIGHT_MARKER = '**';
const B2C_BUYER_BAN = '00000000';

const utf8Length = (text: string): number => new TextEncoder().encode(text).length;
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `115年11-12月`: the period of the invoice date, as the proof prints it. */
export function proofPeriodLabel(issuedAt: Date): string {
  const period = periodOf(issuedAt);
  return `${pad(period.rocYear, 3)}年${pad(period.endMonth - 1)}-${pad(period.endMonth)}月`;
}

/** `AB-12345678`. */
export function proofNumberLabel(number: string): string {
  return `${number.slice(0, 2)}-${number.slice(2)}`;
}

/** The Code 39 text, 19 characters: period `yyyMM` + invoice number + random number. */
export function code39Text(invoice: Pick<IssuedInvoice, 'number' | 'issuedAt' | 'randomNumber'>): string {
  return `${periodOf(invoice.issuedAt).code}${invoice.number}${invoice.randomNumber}`;
}

/** `yyyMMdd`, the invoice date in the ROC calendar (Asia/Taipei). */
export function rocDate(instant: Date): string {
  const p = taipeiParts(instant);
  return `${pad(p.year - 1911, 3)}${pad(p.month)}${pad(p.day)}`;
}

/** An amount as the codes carry it: 8 hexadecimal digits, upper case, zero padded. */
export function hex8(amount: number): string {
  if (!Number.isInteger(amount) || amount < 0 || amount > 0xffffffff) {
    throw new RangeError(`an invoice proof carries amounts of 0 to ${0xffffffff} whole dollars, not ${amount}`);
  }
  return amount.toString(16).toUpperCase().padStart(8, '0');
}

/**
 * The untaxed sales (銷售額) and the tax-included total. A B2C invoice records tax-included prices, so its taxable
 * part is split the way a tax-included B2B total is (sales = round(total / 1.05)); zero-rated and exempt sales carry
 * no tax either way.
 */
export function proofAmounts(invoice: Pick<IssuedInvoice, 'input' | 'amounts'>): { untaxed: number; total: number } {
  const { amounts } = invoice;
  const taxable = isB2B(invoice.input) ? amounts.salesAmount : b2bAmountsFromTaxIncludedTotal(amounts.salesAmount).sales;
  return { untaxed: taxable + amounts.zeroTaxSalesAmount + amounts.freeTaxSalesAmount, total: amounts.totalAmount };
}

/** The left code's fixed head, 77 characters. */
export function qrHead(invoice: IssuedInvoice, verification: string): string {
  if (verification.length !== VERIFICATION_LENGTH) {
    throw new RangeError(`the verification is ${VERIFICATION_LENGTH} characters of Base64, not ${verification.length}`);
  }
  const { untaxed, total } = proofAmounts(invoice);
  const buyer = isB2B(invoice.input) ? String(invoice.input.buyer.ban).trim() : B2C_BUYER_BAN;
  return `${invoice.number}${rocDate(invoice.issuedAt)}${invoice.randomNumber}${hex8(untaxed)}${hex8(total)}${buyer}${invoice.seller.ban}${verification}`;
}

/** One item as the codes list it, `name:quantity:unit price`; a `:` in the name would split it, so it is written full-width. */
export function qrItem(line: { description: string; quantity: number; unitPrice: number }): string {
  return `${line.description.replace(/:/g, '：')}:${migDecimal(line.quantity)}:${migDecimal(line.unitPrice)}`;
}

export interface ProofQrCodes {
  left: string;
  right: string;
  /** 二維條碼記載完整品目筆數: the items the two codes carry together. */
  itemsInCodes: number;
  /** 該張發票交易品目總筆數. */
  itemsOnInvoice: number;
}

/**
 * The two QR codes. Items go in invoice order, whole, into the left code while it stays within the byte budget, then
 * into the right one; the first item that fits in neither ends the list, and the counts say how many were recorded.
 */
export function proofQrCodes(invoice: IssuedInvoice, verification: string): ProofQrCodes {
  const items = invoice.input.lines.map(qrItem);
  const head = qrHead(invoice, verification);
  // The count is written before the items, so the left code's size is checked with the widest count it can have.
  const countWidth = String(items.length).length;
  const fixed = `${head}:${SELLER_AREA}:${'9'.repeat(countWidth)}:${items.length}:${UTF8_ENCODING}`;
  const left: string[] = [];
  const right: string[] = [];
  let leftBytes = utf8Length(fixed);
  let rightBytes = utf8Length(RIGHT_MARKER);
  for (const item of items) {
    const bytes = utf8Length(item) + 1;
    if (right.length === 0 && leftBytes + bytes <= QR_BYTE_BUDGET) {
      left.push(item);
      leftBytes += bytes;
    } else if (rightBytes + bytes <= QR_BYTE_BUDGET) {
      right.push(item);
      rightBytes += bytes;
    } else {
      break;
    }
  }
  const itemsInCodes = left.length + right.length;
  return {
    left: [head, SELLER_AREA, itemsInCodes, items.length, UTF8_ENCODING, ...left].join(':'),
    right: [RIGHT_MARKER, ...right].join(':'),
    itemsInCodes,
    itemsOnInvoice: items.length,
  };
}
