import { DataSource } from 'typeorm';
import { Transaction } from '../../infra/persistence/transaction';
import { Clock } from '../../adapters/clock/clock';
import { WorkflowStarter } from '../../adapters/temporal/workflow-starter';
import { LifecycleRecord } from '../../contracts/lifecycle-input';
import { DomainError, OPEN_DEADLINE_STATES } from '../../domain';
import { mayPrintProof } from '../../domain/invoice-proof';
import { InvoiceInput } from '../../domain/invoice/invoice.types';
import { checkInvoiceRequest } from '../../domain/invoice/validate-invoice';
import { withDeliveryDefaults } from '../../domain/invoice/validate-delivery';
import { isUniqueViolation } from '../../infra/persistence/pg-errors';
import { SellerRecord } from '../sellers';
import { IssueItem, IssuedRecord, InvoiceIssuer } from './invoice-issuer';
import { BoardCount, BoardItem } from './deadline-board.repository';
import { AllowanceRecord, InvoiceRecord, InvoiceWithSeller, lifecycleRecordOf } from './invoice.records';
import { InvoiceRepositories } from './invoice-repositories';
import { InvoiceSearch, InvoiceSummary } from './invoice-search.repository';
import { payloadHash } from './payload-hash';

/** Issuing by API and reading invoices back; the workflow side is InvoiceLifecycleService. */
export class InvoicesService {
  constructor(
    private readonly db: DataSource,
    private readonly repos: InvoiceRepositories,
    private readonly issuer: InvoiceIssuer,
    private readonly starter: WorkflowStarter,
    private readonly clock: Clock,
  ) {}

  /**
   * Idempotent on BillingNo: the same order again returns the invoice already issued (and makes sure its lifecycle
   * runs); a different order under an issued BillingNo is a conflict.
   */
  async issue(seller: SellerRecord, channelId: string | null, request: InvoiceInput, issuedAt = this.clock.now()): Promise<{ invoice: InvoiceRecord; created: boolean }> {
    const { input, errors } = checkInvoiceRequest(request);
    if (errors.length > 0) {
      throw new DomainError('invalid', 'INVOICE.INVALID', `the invoice has ${errors.length} error(s): ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`, errors);
    }
    return this.issueChecked(seller, channelId, request, input, issuedAt);
  }

  /**
   * An order's content, checked by the same rule when its event was received (validateOrderEvent): it is not
   * checked again here, so what was accepted then is what is issued.
   */
  async issueOrder(seller: SellerRecord, channelId: string | null, content: InvoiceInput): Promise<{ invoice: InvoiceRecord; created: boolean }> {
    return this.issueChecked(seller, channelId, content, withDeliveryDefaults(content), this.clock.now());
  }

  private async issueChecked(seller: SellerRecord, channelId: string | null, request: InvoiceInput, input: InvoiceInput, issuedAt: Date) {
    const existing = await this.repos.invoices.findLive(seller.id, input.billingNo);
    if (existing) return this.replay(seller, existing, input, request);
    try {
      const [record] = await this.db.transaction((manager) => this.issuer.issue(manager, seller, channelId, [{ input }], issuedAt));
      await this.starter.startLifecycle(seller.ban, record);
      return { invoice: (await this.findByNumber(seller, record.invoiceNumber))!, created: true };
    } catch (error) {
      // A concurrent request with the same BillingNo won the race; answer as a repeat of it.
      if (isUniqueViolation(error, 'invoices_live_billing_no')) {
        return this.replay(seller, (await this.repos.invoices.findLive(seller.id, input.billingNo))!, input, request);
      }
      throw error;
    }
  }

  /**
   * Issues invoices inside the caller's transaction (an import chunk): numbers, rows and deadlines, no lifecycle —
   * the caller starts those once its transaction has committed.
   */
  async issueInTransaction(manager: Transaction, sellerId: string, channelId: string | null, items: IssueItem[], issuedAt: Date): Promise<IssuedRecord[]> {
    return this.issuer.issue(manager, { id: sellerId }, channelId, items, issuedAt);
  }

  /** The invoice each of these BillingNos is live as, if any. */
  async liveNumbers(sellerId: string, billingNos: string[], manager?: Transaction): Promise<Map<string, string>> {
    return this.repos.invoices.liveNumbers(sellerId, billingNos, manager);
  }

  async withSeller(invoiceId: string): Promise<InvoiceWithSeller | undefined> {
    return this.repos.invoices.withSeller(invoiceId);
  }

  async allowancesOf(invoiceId: string): Promise<AllowanceRecord[]> {
    return this.repos.allowances.ofInvoice(invoiceId);
  }

  /**
   * Invoices committed whose lifecycle never began (the process died between the commit and the workflow start):
   * issued, never delivered, and older than `olderThanMs` so that a start in progress is not raced.
   */
  async unstartedLifecycles(olderThanMs: number, limit = 500): Promise<(LifecycleRecord & { sellerBan: string })[]> {
    const invoices = await this.repos.invoices.unstarted(olderThanMs, limit);
    return invoices.map((invoice) => ({ sellerBan: invoice.sellerBan, ...lifecycleRecordOf(invoice) }));
  }

  /** `request` is the order as sent: invoices stored before print was filled in were hashed without it. */
  private async replay(seller: SellerRecord, existing: InvoiceRecord, input: InvoiceInput, request: InvoiceInput): Promise<{ invoice: InvoiceRecord; created: boolean }> {
    if (existing.payloadHash !== payloadHash(input) && existing.payloadHash !== payloadHash(request)) {
      throw new DomainError(
        'conflict',
        'INVOICE.BILLING_NO_CONFLICT',
        `BillingNo ${input.billingNo} was already issued as ${existing.invoiceNumber} with different content`,
        [{ field: 'billingNo', code: 'INVOICE.BILLING_NO_CONFLICT', message: `already issued as ${existing.invoiceNumber}` }],
      );
    }
    await this.starter.startLifecycle(seller.ban, lifecycleRecordOf(existing));
    return { invoice: existing, created: false };
  }

  async findByNumber(seller: SellerRecord, invoiceNumber: string, manager?: Transaction): Promise<InvoiceRecord | undefined> {
    return this.repos.invoices.findByNumber(seller.id, invoiceNumber, manager);
  }

  /** Einv120 search, newest first, paged by a cursor. */
  async search(seller: SellerRecord, filter: InvoiceSearch): Promise<{ invoices: InvoiceRecord[]; nextCursor: string | null }> {
    return this.repos.search.search(seller.id, filter);
  }

  /** Staff's search over several sellers at once: summaries, in the filter's order, paged by a cursor. */
  async list(sellers: Pick<SellerRecord, 'id'>[], filter: InvoiceSearch): Promise<{ invoices: InvoiceSummary[]; nextCursor: string | null }> {
    return this.repos.search.list(sellers.map((s) => s.id), filter);
  }

  /** How many invoices an export of this filter writes. */
  async count(sellers: Pick<SellerRecord, 'id'>[], filter: Omit<InvoiceSearch, 'cursor' | 'limit'>): Promise<number> {
    return this.repos.search.count(sellers.map((s) => s.id), filter);
  }

  /** Every invoice of the filter, in its order, read page by page: for exports of any size. */
  all(sellers: Pick<SellerRecord, 'id'>[], filter: Omit<InvoiceSearch, 'cursor' | 'limit'>): AsyncIterable<InvoiceSummary> {
    return this.repos.search.all(sellers.map((s) => s.id), filter);
  }

  /** One snapshot: the invoice, its messages and uploads as they stood together, never a mix of before and after. */
  async detail(seller: SellerRecord, invoiceNumber: string) {
    return this.db.transaction('REPEATABLE READ', async (manager) => {
      const invoice = await this.findByNumber(seller, invoiceNumber, manager);
      if (!invoice) throw new DomainError('not_found', 'INVOICE.NOT_FOUND', `seller ${seller.ban} has no invoice ${invoiceNumber}`);
      // One after the other: a transaction is one connection, which runs one query at a time anyway (pg 9 refuses more).
      const timeline = await this.repos.invoices.timeline(manager, invoice.id);
      const uploads = await this.repos.uploads.viewsOf(manager, invoice.id);
      const allowances = await this.repos.allowances.viewsOf(manager, invoice.id);
      const messages = await this.repos.messages.viewsOf(manager, invoice.id);
      const prints = await this.repos.prints.ofInvoice(manager, invoice.id);
      const printable = mayPrintProof(invoice.payload) && invoice.status !== 'voided' && invoice.status !== 'cancelled_blank';
      return { invoice, timeline, uploads, allowances, messages, proof: { printable, prints } };
    });
  }

  /** Open deadlines of a seller (or all sellers), nearest first. */
  async deadlines(filter: { sellerId?: string; states?: string[]; withinMs?: number; now?: Date; limit?: number }): Promise<InvoiceRecord[]> {
    return this.repos.search.openDeadlines({
      sellerId: filter.sellerId,
      states: filter.states ?? [...OPEN_DEADLINE_STATES],
      dueBefore: this.dueBefore(filter),
      limit: filter.limit ?? 500,
    });
  }

  /** Voids, allowances and allowance voids not yet accepted, by their own deadlines (counted from their own time). */
  async messageDeadlines(filter: { sellerId: string; states?: string[]; withinMs?: number; now?: Date; limit?: number }) {
    return this.repos.messages.openDeadlines({
      sellerId: filter.sellerId,
      states: filter.states ?? [...OPEN_DEADLINE_STATES],
      dueBefore: this.dueBefore(filter),
      limit: filter.limit ?? 500,
    });
  }

  async deadlineSummary() {
    return this.repos.search.deadlineSummary();
  }

  /** The dashboard's board: every seller's invoices and messages needing attention, nearest due first (a page of them), with counts. */
  async board(limit = 200, offset = 0): Promise<{ items: BoardItem[]; counts: BoardCount[] }> {
    const [items, counts] = await Promise.all([this.repos.board.items(limit, offset), this.repos.board.counts()]);
    return { items, counts };
  }

  /** Uploads falling due in each of the next `hours` hours, from the start of the current hour. */
  async dueByHour(hours: number): Promise<{ from: Date; counts: number[] }> {
    const from = new Date(Math.floor(this.clock.now().getTime() / 3600_000) * 3600_000);
    return { from, counts: await this.repos.board.dueByHour(from, hours) };
  }

  /** `withinMs` counts from `now`, the clock's unless the caller names an instant. */
  private dueBefore({ withinMs, now }: { withinMs?: number; now?: Date }): Date | null {
    return withinMs === undefined ? null : new Date((now ?? this.clock.now()).getTime() + withinMs);
  }
}
