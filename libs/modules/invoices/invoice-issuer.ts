import { Transaction } from '../../infra/persistence/transaction';
import { InvoiceFacts } from '../../contracts/workflows';
import { computeAmounts, isB2B } from '../../domain/invoice/compute-amounts';
import { uploadDeadlines } from '../../domain/invoice/deadlines';
import { InvoiceInput } from '../../domain/invoice/invoice.types';
import { INVOICE_TYPE_CODES, invoiceTypeOf } from '../../domain/track-file';
import { RandomSource, invoiceRandomNumber } from '../../domain/invoice/random-number';
import { AllocatedNumber, NumberAllocator } from '../numbers';
import { InvoicesRepository } from './invoices.repository';
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
    private readonly invoices: InvoicesRepository,
    private readonly random: RandomSource,
    private readonly warnBeforeMs: number,
  ) {}

  async issue(
    manager: Transaction,
    seller: { id: string },
    channelId: string | null,
    items: IssueItem[],
    issuedAt: Date,
  ): Promise<IssuedRecord[]> {
    if (items.length === 0) return [];
    const issued: IssuedRecord[] = [];
    // One allocation per invoice type keeps each type on its own tracks; within a type, numbers follow item order.
    for (const invoiceType of INVOICE_TYPE_CODES) {
      const group = items.filter((item) => invoiceTypeOf(item.input) === invoiceType);
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
    manager: Transaction,
    sellerId: string,
    channelId: string | null,
    item: IssueItem,
    number: AllocatedNumber,
    issuedAt: Date,
  ): Promise<IssuedRecord> {
    const { input } = item;
    const amounts = computeAmounts(input);
    const { dueAt, legalDueAt, warnAt } = uploadDeadlines(issuedAt, isB2B(input), this.warnBeforeMs);
    const invoiceId = await this.invoices.insert(manager, {
      sellerId,
      channelId,
      bookletId: number.bookletId,
      seq: number.seq,
      period: number.period,
      invoiceNumber: number.invoiceNumber,
      input,
      payloadHash: payloadHash(input),
      issuedAt,
      randomNumber: invoiceRandomNumber(this.random),
      amounts,
      dueAt,
      legalDueAt,
      warnAt,
      importRef: item.importRef,
    });
    await this.invoices.addEvent(manager, invoiceId, 'issued', { number: number.invoiceNumber, billingNo: input.billingNo, total: amounts.totalAmount });
    return {
      invoiceId,
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
