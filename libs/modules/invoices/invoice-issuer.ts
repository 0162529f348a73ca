import { EntityManager } from 'typeorm';
import { InvoiceFacts } from '../../contracts/workflows';
import { computeAmounts, isB2B } from '../../domain/invoice/compute-amounts';
import { uploadDeadlines } from '../../domain/invoice/deadlines';
import { InvoiceInput } from '../../domain/invoice/invoice.types';
import { RandomSource, invoiceRandomNumber } from '../../domain/invoice/random-number';
import { NumberAllocator } from '../numbers/number-allocator';
import { invoiceFacts } from '../../contracts/invoice-facts';
import { payloadHash } from './payload-hash';

export interface IssueItem {
  input: InvoiceInput;
  importRef?: { importId: string; ordinal: number };
}

/** What the lifecycle workflow needs to know about a freshly issued invoice. */
export interface IssuedRecord {
  invoiceId: string;
  invoiceNumber: string;
  billingNo: string;
  period: string;
  issuedAt: Date;
  warnAt: Date;
  dueAt: Date;
  legalDueAt: Date;
  notifyBuyer: boolean;
  facts: InvoiceFacts;
  importRef?: { importId: string; ordinal: number };
}

/**
 * Turns validated inputs into invoices: consecutive numbers from the allocator and the invoice rows, all in the
 * caller's transaction, so an invoice never exists without its number nor a number without its invoice.
 */
export class InvoiceIssuer {
  constructor(
    private readonly allocator: NumberAllocator,
    private readonly random: RandomSource,
    private readonly warnBeforeMs: number,
  ) {}

  async issue(
    manager: EntityManager,
    seller: { id: string },
    channelId: string | null,
    items: IssueItem[],
    issuedAt: Date,
  ): Promise<IssuedRecord[]> {
    if (items.length === 0) return [];
    const issued: IssuedRecord[] = [];
    // One allocation per invoice type keeps each type on its own tracks; within a type, numbers follow item order.
    for (const invoiceType of ['07', '08'] as const) {
      const group = items.filter((item) => (item.input.invoiceType ?? '07') === invoiceType);
      if (group.length === 0) continue;
      const numbers = await this.allocator.allocate(manager, {
        sellerId: seller.id,
        channelId,
        invoiceDate: issuedAt,
        count: group.length,
        invoiceType,
      });
      for (const [i, item] of group.entries()) {
        issued.push(await this.insert(manager, seller.id, channelId, item, numbers[i], issuedAt));
      }
    }
    return issued;
  }

  private async insert(
    manager: EntityManager,
    sellerId: string,
    channelId: string | null,
    item: IssueItem,
    number: { invoiceNumber: string; period: string; bookletId: string; seq: number },
    issuedAt: Date,
  ): Promise<IssuedRecord> {
    const { input } = item;
    const amounts = computeAmounts(input);
    const b2b = isB2B(input);
    const { dueAt, legalDueAt, warnAt } = uploadDeadlines(issuedAt, b2b, this.warnBeforeMs);
    const [row]: { id: string }[] = await manager.query(
      `INSERT INTO invoices (seller_id, channel_id, booklet_id, seq, period, invoice_number, billing_no, invoice_type, tax_type,
                             buyer_ban, buyer_name, buyer_email, issued_at, random_number, sales_amount, free_tax_sales_amount,
                             zero_tax_sales_amount, tax_amount, total_amount, payload, payload_hash, upload_due_at, legal_due_at,
                             warn_at, import_id, import_ordinal)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26)
       RETURNING id`,
      [
        sellerId, channelId, number.bookletId, number.seq, number.period, number.invoiceNumber, input.billingNo,
        input.invoiceType ?? '07', input.taxType, input.buyer.ban ?? null, input.buyer.name ?? null, input.buyer.email ?? null,
        issuedAt, invoiceRandomNumber(this.random), amounts.salesAmount, amounts.freeTaxSalesAmount, amounts.zeroTaxSalesAmount,
        amounts.taxAmount, amounts.totalAmount, JSON.stringify(input), payloadHash(input), dueAt, legalDueAt, warnAt,
        item.importRef?.importId ?? null, item.importRef?.ordinal ?? null,
      ],
    );
    await manager.query(`INSERT INTO invoice_events (invoice_id, kind, detail) VALUES ($1, 'issued', $2)`, [
      row.id,
      JSON.stringify({ number: number.invoiceNumber, billingNo: input.billingNo, total: amounts.totalAmount }),
    ]);
    return {
      invoiceId: row.id,
      invoiceNumber: number.invoiceNumber,
      billingNo: input.billingNo,
      period: number.period,
      issuedAt,
      warnAt,
      dueAt,
      legalDueAt,
      notifyBuyer: Boolean(input.buyer.email),
      facts: invoiceFacts(input, number.period),
      importRef: item.importRef,
    };
  }
}
