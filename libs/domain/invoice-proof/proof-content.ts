import { isB2B } from '../invoice/compute-amounts';
import { IssuedInvoice, InvoiceAmounts } from '../invoice/invoice.types';
import { taipeiClock, taipeiIsoDay } from '../taipei-time';
import { code39Text, proofNumberLabel, proofPeriodLabel, proofQrCodes, ProofQrCodes } from './proof-codes';

/** 格式代號 25: the proof of an invoice to a buyer with a BAN. */
export const B2B_FORMAT_CODE = '25';

export interface ProofLine {
  description: string;
  quantity: number;
  unitPrice: number;
  amount: number;
  remark: string | null;
}

/** Everything a proof shows, decided here so that every layout prints the same facts. */
export interface ProofContent {
  /** 電子發票證明聯, or 電子發票證明聯補印 on a reprint. */
  title: string;
  reprint: boolean;
  b2b: boolean;
  sellerName: string;
  sellerAddress: string | null;
  sellerBan: string;
  /** B2B only. */
  buyerBan: string | null;
  buyerName: string | null;
  buyerAddress: string | null;
  /** `25` for B2B, else null. */
  formatCode: string | null;
  /** `115年11-12月`. */
  periodLabel: string;
  /** `AB-12345678`. */
  numberLabel: string;
  /** `2026-12-07 14:30:00`, Asia/Taipei. */
  issuedAtLabel: string;
  randomNumber: string;
  amounts: InvoiceAmounts;
  lines: ProofLine[];
  /** The Code 39 text, 19 characters. */
  barcode: string;
  qr: ProofQrCodes;
}

/**
 * The proof of an issued invoice. The verification is the AES field of the left code (24 characters of Base64),
 * computed by the crypto adapter from the seller's key: this folder may not encrypt.
 */
export function buildProofContent(invoice: IssuedInvoice, verification: string, options: { reprint: boolean }): ProofContent {
  const b2b = isB2B(invoice.input);
  const buyer = invoice.input.buyer;
  return {
    title: options.reprint ? '電子發票證明聯補印' : '電子發票證明聯',
    reprint: options.reprint,
    b2b,
    sellerName: invoice.seller.name,
    sellerAddress: invoice.seller.address,
    sellerBan: invoice.seller.ban,
    buyerBan: b2b ? String(buyer.ban).trim() : null,
    buyerName: buyer.name?.trim() || null,
    buyerAddress: buyer.address?.trim() || null,
    formatCode: b2b ? B2B_FORMAT_CODE : null,
    periodLabel: proofPeriodLabel(invoice.issuedAt),
    numberLabel: proofNumberLabel(invoice.number),
    issuedAtLabel: `${taipeiIsoDay(invoice.issuedAt)} ${taipeiClock(invoice.issuedAt)}`,
    randomNumber: invoice.randomNumber,
    amounts: invoice.amounts,
    lines: invoice.input.lines.map((line) => ({
      description: line.description,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      amount: line.amount,
      remark: line.remark?.trim() || null,
    })),
    barcode: code39Text(invoice),
    qr: proofQrCodes(invoice, verification),
  };
}
