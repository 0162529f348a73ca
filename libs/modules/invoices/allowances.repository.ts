import { DataSource, EntityManager } from 'typeorm';
import { AllowanceLine } from '../../domain/invoice/allowances';
import { AllowanceRecord } from './invoice.records';

type Db = DataSource | EntityManager;

interface AllowanceRow {
  id: string;
  seller_id: string;
  invoice_id: string;
  allowance_number: string;
  allowance_date: Date;
  reason: string | null;
  items: AllowanceLine[];
  taxable_amount: string;
  zero_tax_amount: string;
  free_tax_amount: string;
  tax_amount: string;
  status: AllowanceRecord['status'];
  request_key: string;
  void_reason: string | null;
  voided_at: Date | null;
  void_request_key: string | null;
}

function toAllowance(row: AllowanceRow): AllowanceRecord {
  return {
    id: row.id,
    sellerId: row.seller_id,
    invoiceId: row.invoice_id,
    allowanceNumber: row.allowance_number,
    allowanceDate: row.allowance_date,
    reason: row.reason,
    items: row.items,
    amounts: { taxable: Number(row.taxable_amount), zeroTax: Number(row.zero_tax_amount), freeTax: Number(row.free_tax_amount), tax: Number(row.tax_amount) },
    status: row.status,
    requestKey: row.request_key,
    voidReason: row.void_reason,
    voidedAt: row.voided_at,
    voidRequestKey: row.void_request_key,
  };
}

export interface NewAllowance {
  sellerId: string;
  invoiceId: string;
  requestKey: string;
  allowanceDate: Date;
  reason: string | null;
  items: AllowanceLine[];
  amounts: AllowanceRecord['amounts'];
}

/** An allowance as the invoice detail shows it. */
export interface AllowanceView {
  number: string;
  date: Date;
  reason: string | null;
  lines: AllowanceLine[];
  taxableAmount: number;
  zeroTaxAmount: number;
  freeTaxAmount: number;
  taxAmount: number;
  /** Tax included: what the buyer gets back, comparable with the invoice's total. */
  totalAmount: number;
  status: AllowanceRecord['status'];
  voidReason: string | null;
  voidedAt: Date | null;
}

/** The SQL of `allowances` (G0401, and their voids G0501). */
export class AllowancesRepository {
  constructor(private readonly db: DataSource) {}

  async findById(allowanceId: string, manager: Db = this.db): Promise<AllowanceRecord | undefined> {
    const [row]: AllowanceRow[] = await manager.query(`SELECT * FROM allowances WHERE id = $1`, [allowanceId]);
    return row && toAllowance(row);
  }

  async findByRequestKey(manager: Db, sellerId: string, key: string): Promise<AllowanceRecord | undefined> {
    const [row]: AllowanceRow[] = await manager.query(`SELECT * FROM allowances WHERE seller_id = $1 AND request_key = $2`, [sellerId, key]);
    return row && toAllowance(row);
  }

  /** Every allowance of the invoice, in the order they were entered. */
  async ofInvoice(invoiceId: string, manager: Db = this.db): Promise<AllowanceRecord[]> {
    const rows: AllowanceRow[] = await manager.query(`SELECT * FROM allowances WHERE invoice_id = $1 ORDER BY created_at`, [invoiceId]);
    return rows.map(toAllowance);
  }

  async lockByNumber(manager: EntityManager, invoiceId: string, allowanceNumber: string): Promise<AllowanceRecord | undefined> {
    const [row]: AllowanceRow[] = await manager.query(`SELECT * FROM allowances WHERE invoice_id = $1 AND allowance_number = $2 FOR UPDATE`, [invoiceId, allowanceNumber]);
    return row && toAllowance(row);
  }

  /** The invoice number an allowance of the seller belongs to. */
  async invoiceNumberOf(sellerId: string, allowanceNumber: string): Promise<string | undefined> {
    const [row] = await this.db.query(
      `SELECT i.invoice_number FROM allowances a JOIN invoices i ON i.id = a.invoice_id WHERE a.seller_id = $1 AND a.allowance_number = $2`,
      [sellerId, allowanceNumber],
    );
    return row?.invoice_number;
  }

  /** The allowance number comes from a database sequence, so concurrent allowances never share one. */
  async insert(manager: EntityManager, allowance: NewAllowance): Promise<{ id: string; allowanceNumber: string }> {
    const { amounts } = allowance;
    const [row] = await manager.query(
      `INSERT INTO allowances (seller_id, invoice_id, allowance_number, request_key, allowance_date, reason, items,
                               taxable_amount, zero_tax_amount, free_tax_amount, tax_amount)
       VALUES ($1, $2, 'AL' || lpad(nextval('allowance_number_seq')::text, 14, '0'), $3, $4, $5, $6, $7, $8, $9, $10)
       RETURNING id, allowance_number`,
      [allowance.sellerId, allowance.invoiceId, allowance.requestKey, allowance.allowanceDate, allowance.reason, JSON.stringify(allowance.items),
        amounts.taxable, amounts.zeroTax, amounts.freeTax, amounts.tax],
    );
    return { id: row.id, allowanceNumber: row.allowance_number };
  }

  async voidKeyUsedBy(manager: EntityManager, sellerId: string, key: string): Promise<string | undefined> {
    const [row] = await manager.query(`SELECT allowance_number FROM allowances WHERE seller_id = $1 AND void_request_key = $2`, [sellerId, key]);
    return row?.allowance_number;
  }

  async markVoided(manager: EntityManager, allowanceId: string, change: { reason: string; voidedAt: Date; requestKey: string }): Promise<void> {
    await manager.query(`UPDATE allowances SET status = 'voided', void_reason = $2, voided_at = $3, void_request_key = $4 WHERE id = $1`, [
      allowanceId, change.reason, change.voidedAt, change.requestKey,
    ]);
  }

  async viewsOf(manager: Db, invoiceId: string): Promise<AllowanceView[]> {
    return (await this.ofInvoice(invoiceId, manager)).map((a) => ({
      number: a.allowanceNumber,
      date: a.allowanceDate,
      reason: a.reason,
      lines: a.items,
      taxableAmount: a.amounts.taxable,
      zeroTaxAmount: a.amounts.zeroTax,
      freeTaxAmount: a.amounts.freeTax,
      taxAmount: a.amounts.tax,
      totalAmount: a.amounts.taxable + a.amounts.zeroTax + a.amounts.freeTax + a.amounts.tax,
      status: a.status,
      voidReason: a.voidReason,
      voidedAt: a.voidedAt,
    }));
  }
}
