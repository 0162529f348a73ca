import { InvoiceType } from '../track-file';

/** Tax type of a line or of a whole invoice; 9 (mixed) is an invoice-level value only, B2C only. */
export type LineTaxType = '1' | '2' | '3';
export type InvoiceTaxType = LineTaxType | '9';
export type CarrierType = '3J0002' | 'CQ0001';

export interface InvoiceLineInput {
  description: string;
  quantity: number;
  unitPrice: number;
  /** B2C: tax included; B2B: untaxed. Must equal quantity × unitPrice (to the cent). */
  amount: number;
  unit?: string;
  /** Required when the invoice tax type is 9; otherwise, if given, must equal the invoice tax type. */
  taxType?: LineTaxType;
  remark?: string;
}

export interface BuyerInput {
  /** Present ⇒ B2B (B-class); absent ⇒ B2C (C-class, `0000000000` in MIG). */
  ban?: string;
  name?: string;
  address?: string;
  email?: string;
}

/** What an upstream system or a spreadsheet row group asks to be issued. */
export interface InvoiceInput {
  /** The upstream order number; one live invoice per BillingNo and seller. */
  billingNo: string;
  invoiceType?: InvoiceType;
  taxType: InvoiceTaxType;
  buyer: BuyerInput;
  carrier?: { type: CarrierType; id: string };
  /** Donation code (愛心碼, NPOBAN): 3–7 digits. */
  npoban?: string;
  /** PrintMark Y. */
  print?: boolean;
  /** Tax type 2 only. */
  zeroTax?: { customsClearanceMark: '1' | '2'; reason: string };
  lines: InvoiceLineInput[];
  /** When given, must equal the computed total (B2B: tax included). */
  totalAmount?: number;
  mainRemark?: string;
}

export interface InvoiceAmounts {
  salesAmount: number;
  freeTaxSalesAmount: number;
  zeroTaxSalesAmount: number;
  taxType: InvoiceTaxType;
  taxRate: number;
  taxAmount: number;
  totalAmount: number;
}

export interface SellerParty {
  ban: string;
  name: string;
  address: string | null;
}

/** An invoice once it has a number: everything the MIG message and the printout need. */
export interface IssuedInvoice {
  number: string;
  issuedAt: Date;
  randomNumber: string;
  seller: SellerParty;
  input: InvoiceInput;
  amounts: InvoiceAmounts;
}
