import { DataSource } from 'typeorm';
import { Transaction } from '../../infra/persistence/transaction';
import { orderColumnLabel } from '../../adapters/excel/order-columns';
import { readOrderWorkbook } from '../../adapters/excel/order-sheet.reader';
import { Clock } from '../../adapters/clock/clock';
import { invoiceFacts } from '../../contracts/invoice-facts';
import { LifecycleRecord } from '../../contracts/lifecycle-input';
import { DomainError, ErrorDetail, INVOICE_TYPE_CODES, invoiceTypeOf } from '../../domain';
import { InvoicesService } from '../invoices';
import { NumberAllocator } from '../numbers';
import { SellerRecord } from '../sellers';
import { ImportProgress, ImportSummary, IssuedImportOrder, OrderImportsRepository, PendingOrder } from './order-imports.repository';

export type { ImportProgress, ImportSummary };

export interface ImportPreview {
  id: string;
  rowsRead: number;
  rowsImportable: number;
  orders: number;
  errors: ErrorDetail[];
}

/** The lifecycle data of an invoice issued by an import, as the import workflow hands it on. */
export type ImportedInvoice = LifecycleRecord & { ordinal: number };

const importedInvoice = ({ payload, period, ...order }: IssuedImportOrder): ImportedInvoice => ({ ...order, facts: invoiceFacts(payload, period) });


function notFound(importId: string): DomainError {
  return new DomainError('not_found', 'IMPORT.NOT_FOUND', `no import ${importId}`);
}

/**
 * EINV111: a workbook is read and checked into a preview (nothing issued, no number taken); confirming issues the
 * importable orders chunk by chunk, each chunk one transaction, so a crash at any point loses and repeats nothing.
 */
export class OrderImportsService {
  constructor(
    private readonly db: DataSource,
    private readonly imports: OrderImportsRepository,
    private readonly invoices: InvoicesService,
    private readonly allocator: NumberAllocator,
    private readonly clock: Clock,
  ) {}

  async preview(seller: SellerRecord, channelId: string | null, content: Buffer, fileName: string | null): Promise<ImportPreview> {
    const read = await readOrderWorkbook(content);
    const errors = [...read.errors];
    const issuedAs = await this.invoices.liveNumbers(seller.id, read.orders.map((o) => o.billingNo));
    const orders = read.orders.filter((order) => {
      const number = issuedAs.get(order.billingNo);
      if (number) {
        errors.push({
          row: order.rows[0],
          column: orderColumnLabel('billingNo'),
          code: 'INVOICE.BILLING_NO_ISSUED',
          message: `BillingNo ${order.billingNo} is already issued as invoice ${number}`,
        });
      }
      return !number;
    });
    for (const invoiceType of INVOICE_TYPE_CODES) {
      const wanted = orders.filter((order) => invoiceTypeOf(order.input) === invoiceType).length;
      if (wanted === 0) continue;
      const left = await this.allocator.remaining(this.db.manager, { sellerId: seller.id, channelId, invoiceDate: this.clock.now(), invoiceType });
      if (left < wanted) {
        errors.push({
          code: 'NUMBERS.INSUFFICIENT',
          message: `${wanted} invoices of type ${invoiceType} to issue but only ${left} numbers of that type left for the current period; import more tracks or issue fewer`,
        });
      }
    }
    errors.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
    const rowsImportable = orders.reduce((sum, order) => sum + order.rows.length, 0);
    const id = await this.imports.insertPreview(
      { sellerId: seller.id, channelId, fileName, rowsRead: read.rowsRead, rowsImportable, errors },
      orders.map((o) => ({ billingNo: o.billingNo, rows: o.rows, payload: o.input })),
    );
    return { id, rowsRead: read.rowsRead, rowsImportable, orders: orders.length, errors };
  }

  /** Moves a previewed import to running; a second confirm finds it running or done and changes nothing. */
  async markConfirmed(importId: string): Promise<{ ban: string }> {
    const seller = await this.sellerOf(importId);
    await this.imports.markConfirmed(importId);
    return seller;
  }

  async sellerOf(importId: string): Promise<{ ban: string }> {
    const ban = /^[0-9a-f-]{36}$/i.test(importId) ? await this.imports.sellerBanOf(importId) : undefined;
    if (!ban) throw notFound(importId);
    return { ban };
  }

  async progress(importId: string): Promise<ImportProgress> {
    const progress = await this.imports.progress(importId);
    if (!progress) throw notFound(importId);
    return progress;
  }

  /** Running imports and those finished in the last `hours` hours, for the dashboard. */
  async recent(hours = 24, limit = 20): Promise<ImportSummary[]> {
    return this.imports.recent(new Date(this.clock.now().getTime() - hours * 3600_000), limit);
  }

  /** Every row of the workbook: the invoice it became, why it failed, or why it was never imported. */
  async resultRows(importId: string): Promise<{ row: number; billingNo: string; invoiceNumber: string | null; status: 'issued' | 'failed' | 'not imported'; message: string | null }[]> {
    const previewErrors = await this.imports.previewErrors(importId);
    if (!previewErrors) throw notFound(importId);
    const orders = await this.imports.orders(importId);
    const result = orders.flatMap((order) =>
      order.rows.map((row) => ({
        row,
        billingNo: order.billingNo,
        invoiceNumber: order.invoiceNumber,
        status: order.state === 'failed' ? ('failed' as const) : order.state === 'pending' ? ('not imported' as const) : ('issued' as const),
        message: order.error?.message ?? (order.state === 'pending' ? 'not issued yet' : null),
      })),
    );
    const byRow = new Map<number, string[]>();
    for (const error of previewErrors) {
      if (error.row !== undefined) byRow.set(error.row, [...(byRow.get(error.row) ?? []), `${error.column ?? ''} ${error.message}`.trim()]);
    }
    for (const [row, messages] of byRow) {
      if (!result.some((r) => r.row === row)) result.push({ row, billingNo: '', invoiceNumber: null, status: 'not imported', message: messages.join('; ') });
    }
    return result.sort((a, b) => a.row - b.row);
  }

  /**
   * Issues the next chunk of pending orders in one transaction, or first hands back orders issued earlier whose
   * lifecycle start was not yet confirmed (the worker may have died in between) — unless `unstartedFirst` is false:
   * the caller is starting those itself. Returns nothing when all are done.
   */
  async issueNextChunk(importId: string, size: number, unstartedFirst = true): Promise<{ sellerBan: string; invoices: ImportedInvoice[] }> {
    return this.db.transaction(async (manager) => {
      const batch = await this.imports.lock(manager, importId);
      if (!batch) throw notFound(importId);
      const unstarted = unstartedFirst ? await this.imports.issuedNotStarted(manager, importId, size) : [];
      if (unstarted.length > 0) return { sellerBan: batch.sellerBan, invoices: unstarted.map(importedInvoice) };
      const pending = await this.imports.pending(manager, importId, size);
      if (pending.length === 0) return { sellerBan: batch.sellerBan, invoices: [] };
      const issuable = await this.failAlreadyIssued(manager, batch.sellerId, importId, pending);
      const issuedAt = this.clock.now();
      // Each invoice type has its own tracks: rows beyond what is left of their type fail, the others are issued.
      const now: PendingOrder[] = [];
      for (const invoiceType of INVOICE_TYPE_CODES) {
        const ofType = issuable.filter((order) => invoiceTypeOf(order.payload) === invoiceType);
        if (ofType.length === 0) continue;
        const left = await this.allocator.remaining(manager, { sellerId: batch.sellerId, channelId: batch.channelId, invoiceDate: issuedAt, invoiceType });
        now.push(...ofType.slice(0, left));
        for (const order of ofType.slice(left)) {
          await this.imports.markFailed(manager, importId, order.ordinal, {
            code: 'NUMBERS.INSUFFICIENT',
            message: `no invoice numbers of type ${invoiceType} left for the period when this row came up`,
          });
        }
      }
      now.sort((a, b) => a.ordinal - b.ordinal);
      const records = await this.invoices.issueInTransaction(
        manager,
        batch.sellerId,
        batch.channelId,
        now.map((order) => ({ input: order.payload, importRef: { importId, ordinal: order.ordinal } })),
        issuedAt,
      );
      for (const record of records) await this.imports.markIssued(manager, importId, record.importRef!.ordinal, record.invoiceNumber);
      return {
        sellerBan: batch.sellerBan,
        invoices: records.map((r) => ({
          invoiceId: r.invoiceId,
          invoiceNumber: r.invoiceNumber,
          warnAt: r.warnAt,
          dueAt: r.dueAt,
          legalDueAt: r.legalDueAt,
          notifyBuyer: r.notifyBuyer,
          facts: r.facts,
          ordinal: r.importRef!.ordinal,
        })),
      };
    });
  }

  /** Those of the given orders that are issued and whose lifecycle start is not yet confirmed. */
  async unstarted(importId: string, ordinals: number[]): Promise<ImportedInvoice[]> {
    return (await this.imports.issuedNotStarted(this.db, importId, ordinals.length, ordinals)).map(importedInvoice);
  }

  async markStarted(importId: string, ordinals: number[]): Promise<void> {
    await this.imports.markStarted(importId, ordinals);
  }

  async finish(importId: string): Promise<void> {
    await this.imports.finish(importId);
  }

  /** A BillingNo issued since the preview (by API or another import) is not issued twice. */
  private async failAlreadyIssued(manager: Transaction, sellerId: string, importId: string, orders: PendingOrder[]): Promise<PendingOrder[]> {
    const issuedAs = await this.invoices.liveNumbers(sellerId, orders.map((o) => o.billingNo), manager);
    const rest: PendingOrder[] = [];
    for (const order of orders) {
      const number = issuedAs.get(order.billingNo);
      if (number) {
        await this.imports.markFailed(manager, importId, order.ordinal, { code: 'INVOICE.BILLING_NO_ISSUED', message: `BillingNo ${order.billingNo} was issued meanwhile as ${number}` });
      } else rest.push(order);
    }
    return rest;
  }
}
