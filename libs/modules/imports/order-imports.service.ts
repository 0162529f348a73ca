import { DataSource, EntityManager } from 'typeorm';
import { DomainError, ErrorDetail } from '../../domain';
import { InvoiceInput } from '../../domain/invoice/invoice.types';
import { orderColumnLabel, readOrderWorkbook } from '../../adapters/excel/order-workbook';
import { NumberAllocator } from '../numbers/number-allocator';
import { SellerEntity } from '../../infra/persistence/entities';
import { invoiceFacts } from '../../contracts/invoice-facts';
import { InvoiceIssuer, IssuedRecord } from '../invoices/invoice-issuer';

export interface ImportPreview {
  id: string;
  rowsRead: number;
  rowsImportable: number;
  orders: number;
  errors: ErrorDetail[];
}

export interface ImportProgress {
  id: string;
  state: 'previewed' | 'running' | 'done';
  total: number;
  issued: number;
  failed: number;
  pending: number;
  rowsRead: number;
  rowsImportable: number;
  createdAt: Date;
  confirmedAt: Date | null;
  finishedAt: Date | null;
}

interface PendingOrder {
  ordinal: number;
  billing_no: string;
  payload: InvoiceInput;
}

const INVOICE_TYPES = ['07', '08'] as const;
const typeOf = (input: InvoiceInput) => input.invoiceType ?? '07';

/** The lifecycle data of an invoice issued by an import, as the import workflow hands it on. */
export type ImportedInvoice = Pick<IssuedRecord, 'invoiceId' | 'invoiceNumber' | 'warnAt' | 'dueAt' | 'legalDueAt' | 'notifyBuyer' | 'facts'>;

/**
 * EINV111: a workbook is read and checked into a preview (nothing issued, no number taken); confirming issues the
 * importable orders chunk by chunk, each chunk one transaction, so a crash at any point loses and repeats nothing.
 */
export class OrderImportsService {
  constructor(
    private readonly db: DataSource,
    private readonly issuer: InvoiceIssuer,
    private readonly allocator: NumberAllocator,
  ) {}

  async preview(seller: SellerEntity, channelId: string | null, content: Buffer, fileName: string | null): Promise<ImportPreview> {
    const read = await readOrderWorkbook(content);
    const errors = [...read.errors];
    const issued: { billing_no: string; invoice_number: string }[] = await this.db.query(
      `SELECT billing_no, invoice_number FROM invoices
        WHERE seller_id = $1 AND billing_no = ANY($2) AND status NOT IN ('voided', 'cancelled_blank')`,
      [seller.id, read.orders.map((o) => o.billingNo)],
    );
    const issuedAs = new Map(issued.map((row) => [row.billing_no, row.invoice_number]));
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
    for (const invoiceType of INVOICE_TYPES) {
      const wanted = orders.filter((order) => typeOf(order.input) === invoiceType).length;
      if (wanted === 0) continue;
      const left = await this.allocator.remaining(this.db.manager, { sellerId: seller.id, channelId, invoiceDate: new Date(), invoiceType });
      if (left < wanted) {
        errors.push({
          code: 'NUMBERS.INSUFFICIENT',
          message: `${wanted} invoices of type ${invoiceType} to issue but only ${left} numbers of that type left for the current period; import more tracks or issue fewer`,
        });
      }
    }
    errors.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
    const rowsImportable = orders.reduce((sum, order) => sum + order.rows.length, 0);
    const id = await this.db.transaction(async (manager) => {
      const [row] = await manager.query(
        `INSERT INTO order_imports (seller_id, channel_id, file_name, rows_read, rows_importable, errors)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [seller.id, channelId, fileName, read.rowsRead, rowsImportable, JSON.stringify(errors)],
      );
      await manager.query(
        `INSERT INTO order_import_orders (import_id, ordinal, billing_no, rows, payload)
         SELECT $1, o.ordinal, o.billing_no, ARRAY(SELECT jsonb_array_elements_text(o.rows)::int), o.payload
           FROM jsonb_to_recordset($2::jsonb) AS o(ordinal int, billing_no text, rows jsonb, payload jsonb)`,
        [row.id, JSON.stringify(orders.map((o, i) => ({ ordinal: i, billing_no: o.billingNo, rows: o.rows, payload: o.input })))],
      );
      return row.id as string;
    });
    return { id, rowsRead: read.rowsRead, rowsImportable, orders: orders.length, errors };
  }

  /** Moves a previewed import to running; a second confirm finds it running or done and changes nothing. */
  async markConfirmed(importId: string): Promise<{ ban: string }> {
    const seller = await this.sellerOf(importId);
    await this.db.query(
      `UPDATE order_imports SET state = 'running', confirmed_at = now() WHERE id = $1 AND state = 'previewed'`,
      [importId],
    );
    return seller;
  }

  async sellerOf(importId: string): Promise<{ ban: string }> {
    const rows = /^[0-9a-f-]{36}$/i.test(importId)
      ? await this.db.query(`SELECT s.ban FROM order_imports i JOIN sellers s ON s.id = i.seller_id WHERE i.id = $1`, [importId])
      : [];
    if (!rows[0]) throw notFound(importId);
    return rows[0];
  }

  async progress(importId: string): Promise<ImportProgress> {
    const [row] = await this.db.query(
      `SELECT i.id, i.state, i.rows_read AS "rowsRead", i.rows_importable AS "rowsImportable", i.created_at AS "createdAt",
              i.confirmed_at AS "confirmedAt", i.finished_at AS "finishedAt",
              count(o.*)::int AS total,
              count(*) FILTER (WHERE o.state IN ('issued', 'started'))::int AS issued,
              count(*) FILTER (WHERE o.state = 'failed')::int AS failed,
              count(*) FILTER (WHERE o.state = 'pending')::int AS pending
         FROM order_imports i LEFT JOIN order_import_orders o ON o.import_id = i.id
        WHERE i.id = $1 GROUP BY i.id`,
      [importId],
    );
    if (!row) throw notFound(importId);
    return row;
  }

  /** Every row of the workbook: the invoice it became, why it failed, or why it was never imported. */
  async resultRows(importId: string): Promise<{ row: number; billingNo: string; invoiceNumber: string | null; status: 'issued' | 'failed' | 'not imported'; message: string | null }[]> {
    const [header] = await this.db.query(`SELECT errors FROM order_imports WHERE id = $1`, [importId]);
    if (!header) throw notFound(importId);
    const orders: { billing_no: string; rows: number[]; state: string; invoice_number: string | null; error: { message: string } | null }[] =
      await this.db.query(`SELECT billing_no, rows, state, invoice_number, error FROM order_import_orders WHERE import_id = $1 ORDER BY ordinal`, [importId]);
    const result = orders.flatMap((order) =>
      order.rows.map((row) => ({
        row,
        billingNo: order.billing_no,
        invoiceNumber: order.invoice_number,
        status: order.state === 'failed' ? ('failed' as const) : order.state === 'pending' ? ('not imported' as const) : ('issued' as const),
        message: order.error?.message ?? (order.state === 'pending' ? 'not issued yet' : null),
      })),
    );
    const byRow = new Map<number, string[]>();
    for (const error of header.errors as ErrorDetail[]) {
      if (error.row !== undefined) byRow.set(error.row, [...(byRow.get(error.row) ?? []), `${error.column ?? ''} ${error.message}`.trim()]);
    }
    for (const [row, messages] of byRow) {
      if (!result.some((r) => r.row === row)) result.push({ row, billingNo: '', invoiceNumber: null, status: 'not imported', message: messages.join('; ') });
    }
    return result.sort((a, b) => a.row - b.row);
  }

  /**
   * Issues the next chunk of pending orders in one transaction, or first hands back orders issued earlier whose
   * lifecycle start was not yet confirmed (the worker may have died in between). Returns nothing when all are done.
   */
  async issueNextChunk(importId: string, size: number): Promise<{ sellerBan: string; invoices: (ImportedInvoice & { ordinal: number })[] }> {
    return this.db.transaction(async (manager) => {
      const [batch] = await manager.query(
        `SELECT i.id, i.channel_id, s.id AS seller_id, s.ban FROM order_imports i JOIN sellers s ON s.id = i.seller_id
          WHERE i.id = $1 FOR UPDATE OF i`,
        [importId],
      );
      if (!batch) throw notFound(importId);
      const unstarted = await this.issuedNotStarted(manager, importId, size);
      if (unstarted.length > 0) return { sellerBan: batch.ban, invoices: unstarted };

      const pending: PendingOrder[] = await manager.query(
        `SELECT ordinal, billing_no, payload FROM order_import_orders WHERE import_id = $1 AND state = 'pending' ORDER BY ordinal LIMIT $2`,
        [importId, size],
      );
      if (pending.length === 0) return { sellerBan: batch.ban, invoices: [] };
      const issuable = await this.failAlreadyIssued(manager, batch.seller_id, importId, pending);
      const issuedAt = new Date();
      // Each invoice type has its own tracks: rows beyond what is left of their type fail, the others are issued.
      const now: PendingOrder[] = [];
      for (const invoiceType of INVOICE_TYPES) {
        const ofType = issuable.filter((order) => typeOf(order.payload) === invoiceType);
        if (ofType.length === 0) continue;
        const left = await this.allocator.remaining(manager, { sellerId: batch.seller_id, channelId: batch.channel_id, invoiceDate: issuedAt, invoiceType });
        now.push(...ofType.slice(0, left));
        for (const order of ofType.slice(left)) {
          await this.fail(manager, importId, order.ordinal, 'NUMBERS.INSUFFICIENT', `no invoice numbers of type ${invoiceType} left for the period when this row came up`);
        }
      }
      now.sort((a, b) => a.ordinal - b.ordinal);
      const records = await this.issuer.issue(
        manager,
        { id: batch.seller_id },
        batch.channel_id,
        now.map((order) => ({ input: order.payload, importRef: { importId, ordinal: order.ordinal } })),
        issuedAt,
      );
      for (const record of records) {
        await manager.query(`UPDATE order_import_orders SET state = 'issued', invoice_number = $3 WHERE import_id = $1 AND ordinal = $2`, [
          importId,
          record.importRef!.ordinal,
          record.invoiceNumber,
        ]);
      }
      return { sellerBan: batch.ban, invoices: records.map((r) => ({ ...lifecycleData(r), ordinal: r.importRef!.ordinal })) };
    });
  }

  async markStarted(importId: string, ordinals: number[]): Promise<void> {
    await this.db.query(`UPDATE order_import_orders SET state = 'started' WHERE import_id = $1 AND ordinal = ANY($2) AND state = 'issued'`, [importId, ordinals]);
  }

  async finish(importId: string): Promise<void> {
    await this.db.query(`UPDATE order_imports SET state = 'done', finished_at = COALESCE(finished_at, now()) WHERE id = $1`, [importId]);
  }

  private async issuedNotStarted(manager: EntityManager, importId: string, size: number): Promise<(ImportedInvoice & { ordinal: number })[]> {
    const rows: (Omit<ImportedInvoice, 'facts'> & { ordinal: number; payload: InvoiceInput; period: string })[] = await manager.query(
      `SELECT o.ordinal, i.id AS "invoiceId", i.invoice_number AS "invoiceNumber", i.warn_at AS "warnAt", i.upload_due_at AS "dueAt",
              i.legal_due_at AS "legalDueAt", i.buyer_email IS NOT NULL AS "notifyBuyer", i.payload, i.period
         FROM order_import_orders o JOIN invoices i ON i.import_id = o.import_id AND i.import_ordinal = o.ordinal
        WHERE o.import_id = $1 AND o.state = 'issued' ORDER BY o.ordinal LIMIT $2`,
      [importId, size],
    );
    return rows.map(({ payload, period, ...row }) => ({ ...row, facts: invoiceFacts(payload, period) }));
  }

  /** A BillingNo issued since the preview (by API or another import) is not issued twice. */
  private async failAlreadyIssued(manager: EntityManager, sellerId: string, importId: string, orders: PendingOrder[]): Promise<PendingOrder[]> {
    const issued: { billing_no: string; invoice_number: string }[] = await manager.query(
      `SELECT billing_no, invoice_number FROM invoices
        WHERE seller_id = $1 AND billing_no = ANY($2) AND status NOT IN ('voided', 'cancelled_blank')`,
      [sellerId, orders.map((o) => o.billing_no)],
    );
    const issuedAs = new Map(issued.map((row) => [row.billing_no, row.invoice_number]));
    const rest: PendingOrder[] = [];
    for (const order of orders) {
      const number = issuedAs.get(order.billing_no);
      if (number) await this.fail(manager, importId, order.ordinal, 'INVOICE.BILLING_NO_ISSUED', `BillingNo ${order.billing_no} was issued meanwhile as ${number}`);
      else rest.push(order);
    }
    return rest;
  }

  private async fail(manager: EntityManager, importId: string, ordinal: number, code: string, message: string): Promise<void> {
    await manager.query(`UPDATE order_import_orders SET state = 'failed', error = $3 WHERE import_id = $1 AND ordinal = $2`, [
      importId,
      ordinal,
      JSON.stringify({ code, message }),
    ]);
  }
}

function lifecycleData(record: IssuedRecord): ImportedInvoice {
  return {
    invoiceId: record.invoiceId,
    invoiceNumber: record.invoiceNumber,
    warnAt: record.warnAt,
    dueAt: record.dueAt,
    legalDueAt: record.legalDueAt,
    notifyBuyer: record.notifyBuyer,
    facts: record.facts,
  };
}

function notFound(importId: string): DomainError {
  return new DomainError('not_found', 'IMPORT.NOT_FOUND', `no import ${importId}`);
}
