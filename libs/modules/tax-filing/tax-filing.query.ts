import { DataSource } from 'typeorm';
import { FilingAllowance, FilingBooklet, FilingInvoice, InvoiceTypeCode, Period, fromTaipei } from '../../domain';
import { InvoiceTaxType } from '../../domain/invoice/invoice.types';

/** The first instant of the period and the first of the next, in Taipei time. */
function periodBounds(period: Period): [Date, Date] {
  const year = period.rocYear + 1911;
  return [fromTaipei(year, period.endMonth - 1, 1), fromTaipei(year, period.endMonth + 1, 1)];
}

type Customs = '1' | '2' | null;

/**
 * What the period's sales filing is made of, read in three scans (a read for a report: the invoices module owns the
 * rows, this only reads them). Amounts are numeric(20, 0) in the database and whole dollars here.
 */
export class TaxFilingQuery {
  constructor(private readonly db: DataSource) {}

  /** Every invoice of the period except numbers cancelled as blank (those are in the blank ranges). */
  async invoices(sellerId: string, period: Period): Promise<FilingInvoice[]> {
    const rows: (Omit<FilingInvoice, 'salesAmount' | 'zeroTaxSalesAmount' | 'freeTaxSalesAmount' | 'taxAmount' | 'customsClearanceMark'> & Record<string, string | null>)[] =
      await this.db.query(
        `SELECT invoice_number AS number, invoice_type AS "invoiceType", issued_at AS "issuedAt", buyer_ban AS "buyerBan",
                tax_type AS "taxType", sales_amount AS "salesAmount", zero_tax_sales_amount AS "zeroTaxSalesAmount",
                free_tax_sales_amount AS "freeTaxSalesAmount", tax_amount AS "taxAmount", status = 'voided' AS voided,
                payload -> 'zeroTax' ->> 'customsClearanceMark' AS "customsClearanceMark"
           FROM invoices
          WHERE seller_id = $1 AND period = $2 AND status <> 'cancelled_blank'
          ORDER BY invoice_number`,
        [sellerId, period.code],
      );
    return rows.map((row) => ({
      number: row.number as string,
      invoiceType: row.invoiceType as InvoiceTypeCode,
      issuedAt: row.issuedAt as unknown as Date,
      buyerBan: row.buyerBan,
      taxType: row.taxType as InvoiceTaxType,
      salesAmount: Number(row.salesAmount),
      zeroTaxSalesAmount: Number(row.zeroTaxSalesAmount),
      freeTaxSalesAmount: Number(row.freeTaxSalesAmount),
      taxAmount: Number(row.taxAmount),
      voided: row.voided as unknown as boolean,
      customsClearanceMark: (row.customsClearanceMark as Customs) ?? null,
    }));
  }

  /** Live allowances dated in the period (Taipei time), whatever the period of their invoice. */
  async allowances(sellerId: string, period: Period): Promise<FilingAllowance[]> {
    const [from, to] = periodBounds(period);
    const rows: Record<string, string | Date | null>[] = await this.db.query(
      `SELECT a.allowance_number AS "allowanceNumber", a.allowance_date AS "allowanceDate", i.invoice_number AS "invoiceNumber",
              i.invoice_type AS "invoiceType", i.buyer_ban AS "buyerBan", a.taxable_amount AS "taxableAmount",
              a.zero_tax_amount AS "zeroTaxAmount", a.free_tax_amount AS "freeTaxAmount", a.tax_amount AS "taxAmount",
              i.payload -> 'zeroTax' ->> 'customsClearanceMark' AS "customsClearanceMark"
         FROM allowances a JOIN invoices i ON i.id = a.invoice_id
        WHERE a.seller_id = $1 AND a.status = 'live' AND a.allowance_date >= $2 AND a.allowance_date < $3
        ORDER BY a.allowance_date, a.allowance_number`,
      [sellerId, from, to],
    );
    return rows.map((row) => ({
      allowanceNumber: row.allowanceNumber as string,
      allowanceDate: row.allowanceDate as Date,
      invoiceNumber: row.invoiceNumber as string,
      invoiceType: row.invoiceType as InvoiceTypeCode,
      buyerBan: row.buyerBan as string | null,
      taxableAmount: Number(row.taxableAmount),
      zeroTaxAmount: Number(row.zeroTaxAmount),
      freeTaxAmount: Number(row.freeTaxAmount),
      taxAmount: Number(row.taxAmount),
      customsClearanceMark: (row.customsClearanceMark as Customs) ?? null,
    }));
  }

  async booklets(sellerId: string, period: Period): Promise<FilingBooklet[]> {
    return this.db.query(
      `SELECT invoice_type AS "invoiceType", track, start_no AS start, third_party IS NOT NULL AS "thirdParty", blank_start AS "blankStart"
         FROM booklets WHERE seller_id = $1 AND period = $2 ORDER BY track, start_no`,
      [sellerId, period.code],
    );
  }
}
