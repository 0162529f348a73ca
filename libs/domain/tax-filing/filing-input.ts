import { BlankRange, InvoiceTypeCode } from '../blank/compute-blank-ranges';
import { InvoiceTaxType } from '../invoice/invoice.types';
import { Period } from '../period';

/** The seller as the media file names it: its BAN and its 9-digit tax registration number (稅籍編號). */
export interface FilingSeller {
  ban: string;
  /** Null until finance enters it; the file cannot be made without it. */
  taxRegistrationNumber: string | null;
}

/** One invoice of the period, as the invoices table holds it (amounts are whole dollars, the MIG Amount block). */
export interface FilingInvoice {
  /** Track + 8 digits, `AB12345678`. */
  number: string;
  invoiceType: InvoiceTypeCode;
  issuedAt: Date;
  /** Null for B2C. */
  buyerBan: string | null;
  taxType: InvoiceTaxType;
  /** Taxable sales: B2C tax-included, B2B untaxed. */
  salesAmount: number;
  zeroTaxSalesAmount: number;
  freeTaxSalesAmount: number;
  /** B2B only; 0 on B2C. */
  taxAmount: number;
  /** Voided (作廢, F0501): still a used number, filed with zero amounts. A number cancelled as blank is not an invoice here but part of a blank range. */
  voided: boolean;
  /** 通關方式註記 of a zero-rated sale: 1 not through customs, 2 through customs. */
  customsClearanceMark: '1' | '2' | null;
}

/** One live allowance (折讓, G0401) dated in the period; voided allowances are left out. */
export interface FilingAllowance {
  allowanceNumber: string;
  allowanceDate: Date;
  /** The original invoice's number, type, buyer and customs mark. */
  invoiceNumber: string;
  invoiceType: InvoiceTypeCode;
  buyerBan: string | null;
  /** Untaxed per tax class and the tax, as G0401 carries them for B2B and B2C alike. */
  taxableAmount: number;
  zeroTaxAmount: number;
  freeTaxAmount: number;
  taxAmount: number;
  customsClearanceMark: '1' | '2' | null;
}

/** Everything the sales side of a period's filing is made of. */
export interface PeriodFiling {
  seller: FilingSeller;
  period: Period;
  invoices: readonly FilingInvoice[];
  allowances: readonly FilingAllowance[];
  /** The period's blank ranges, as its E0402s report them. */
  blankRanges: readonly BlankRange[];
}

/** A booklet of the period: its numbers `start`..`start + 49` must each be filed exactly once. */
export interface FilingBooklet {
  invoiceType: InvoiceTypeCode;
  track: string;
  start: number;
  /**
   * Handed to a third party (a marketplace, another value-added centre): the numbers before its blank start were
   * issued there, so this ledger has no record of them; from the blank start on they are blank like any other.
   */
  thirdParty: boolean;
  /** Third-party booklets: the first number they did not use; null until finance enters it. */
  blankStart: number | null;
}

/** 稅籍編號: 9 digits. */
export function isValidTaxRegistrationNumber(value: string): boolean {
  return /^\d{9}$/.test(value);
}
