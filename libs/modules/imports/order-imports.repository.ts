import { DataSource, EntityManager } from 'typeorm';
import { ErrorDetail } from '../../domain';
import { InvoiceInput } from '../../domain/invoice/invoice.types';

type Db = DataSource | EntityManager;

export type ImportState = 'previewed' | 'running' | 'done';
export type ImportOrderState = 'pending' | 'issued' | 'started' | 'failed';

export interface ImportProgress {
  id: string;
  state: ImportState;
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

/** An import as the dashboard lists it: its seller and file, and where it stands. */
export interface ImportSummary extends ImportProgress {
  sellerBan: string;
  sellerName: string;
  fileName: string | null;
}

export interface ImportBatch {
  id: string;
  sellerId: string;
  sellerBan: string;
  channelId: string | null;
}

export interface PendingOrder {
  ordinal: number;
  billingNo: string;
  payload: InvoiceInput;
}

export interface ImportedOrder {
  billingNo: string;
  rows: number[];
  state: ImportOrderState;
  invoiceNumber: string | null;
  error: { code: string; message: string } | null;
}

/** An order issued by the import whose lifecycle start is not yet confirmed, with what the start needs. */
export interface IssuedImportOrder {
  ordinal: number;
  invoiceId: string;
  invoiceNumber: string;
  warnAt: Date;
  dueAt: Date;
  legalDueAt: Date;
  notifyBuyer: boolean;
  payload: InvoiceInput;
  period: string;
}

/** The SQL of `order_imports` and `order_import_orders`: a previewed workbook and the fate of each of its orders. */
export class OrderImportsRepository {
  constructor(private readonly db: DataSource) {}

  /** Stores the preview and its importable orders in one transaction. */
  async insertPreview(
    preview: { sellerId: string; channelId: string | null; fileName: string | null; rowsRead: number; rowsImportable: number; errors: ErrorDetail[] },
    orders: { billingNo: string; rows: number[]; payload: InvoiceInput }[],
  ): Promise<string> {
    return this.db.transaction(async (manager) => {
      const [row] = await manager.query(
        `INSERT INTO order_imports (seller_id, channel_id, file_name, rows_read, rows_importable, errors)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [preview.sellerId, preview.channelId, preview.fileName, preview.rowsRead, preview.rowsImportable, JSON.stringify(preview.errors)],
      );
      await manager.query(
        `INSERT INTO order_import_orders (import_id, ordinal, billing_no, rows, payload)
         SELECT $1, o.ordinal, o.billing_no, ARRAY(SELECT jsonb_array_elements_text(o.rows)::int), o.payload
           FROM jsonb_to_recordset($2::jsonb) AS o(ordinal int, billing_no text, rows jsonb, payload jsonb)`,
        [row.id, JSON.stringify(orders.map((o, i) => ({ ordinal: i, billing_no: o.billingNo, rows: o.rows, payload: o.payload })))],
      );
      return row.id as string;
    });
  }

  async markConfirmed(importId: string): Promise<void> {
    await this.db.query(`UPDATE order_imports SET state = 'running', confirmed_at = now() WHERE id = $1 AND state = 'previewed'`, [importId]);
  }

  async sellerBanOf(importId: string): Promise<string | undefined> {
    const [row] = await this.db.query(`SELECT s.ban FROM order_imports i JOIN sellers s ON s.id = i.seller_id WHERE i.id = $1`, [importId]);
    return row?.ban;
  }

  async progress(importId: string): Promise<ImportProgress | undefined> {
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
    return row;
  }

  /** Confirmed imports still running, and those finished since `since`, newest first. */
  async recent(since: Date, limit: number): Promise<ImportSummary[]> {
    return this.db.query(
      `SELECT i.id, i.state, i.rows_read AS "rowsRead", i.rows_importable AS "rowsImportable", i.created_at AS "createdAt",
              i.confirmed_at AS "confirmedAt", i.finished_at AS "finishedAt", i.file_name AS "fileName",
              s.ban AS "sellerBan", s.name AS "sellerName", o.total, o.issued, o.failed, o.pending
         FROM order_imports i JOIN sellers s ON s.id = i.seller_id
         CROSS JOIN LATERAL (
           SELECT count(*)::int AS total,
                  count(*) FILTER (WHERE state IN ('issued', 'started'))::int AS issued,
                  count(*) FILTER (WHERE state = 'failed')::int AS failed,
                  count(*) FILTER (WHERE state = 'pending')::int AS pending
             FROM order_import_orders WHERE import_id = i.id) o
        WHERE i.state = 'running' OR (i.state = 'done' AND i.finished_at >= $1)
        ORDER BY i.confirmed_at DESC NULLS LAST, i.created_at DESC LIMIT $2`,
      [since, limit],
    );
  }

  /** The preview's errors, or undefined when there is no such import. */
  async previewErrors(importId: string): Promise<ErrorDetail[] | undefined> {
    const [row] = await this.db.query(`SELECT errors FROM order_imports WHERE id = $1`, [importId]);
    return row?.errors;
  }

  async orders(importId: string): Promise<ImportedOrder[]> {
    const rows: { billing_no: string; rows: number[]; state: ImportOrderState; invoice_number: string | null; error: ImportedOrder['error'] }[] = await this.db.query(
      `SELECT billing_no, rows, state, invoice_number, error FROM order_import_orders WHERE import_id = $1 ORDER BY ordinal`,
      [importId],
    );
    return rows.map((r) => ({ billingNo: r.billing_no, rows: r.rows, state: r.state, invoiceNumber: r.invoice_number, error: r.error }));
  }

  /** The import's row lock: chunks of one import are issued one at a time. */
  async lock(manager: EntityManager, importId: string): Promise<ImportBatch | undefined> {
    const [row] = await manager.query(
      `SELECT i.id, i.channel_id, s.id AS seller_id, s.ban FROM order_imports i JOIN sellers s ON s.id = i.seller_id WHERE i.id = $1 FOR UPDATE OF i`,
      [importId],
    );
    return row && { id: row.id, sellerId: row.seller_id, sellerBan: row.ban, channelId: row.channel_id };
  }

  async pending(manager: EntityManager, importId: string, limit: number): Promise<PendingOrder[]> {
    const rows: { ordinal: number; billing_no: string; payload: InvoiceInput }[] = await manager.query(
      `SELECT ordinal, billing_no, payload FROM order_import_orders WHERE import_id = $1 AND state = 'pending' ORDER BY ordinal LIMIT $2`,
      [importId, limit],
    );
    return rows.map((r) => ({ ordinal: r.ordinal, billingNo: r.billing_no, payload: r.payload }));
  }

  /** The first `limit` orders issued and not yet started, or (with `ordinals`) those of them among these rows. */
  async issuedNotStarted(manager: Db, importId: string, limit: number, ordinals?: number[]): Promise<IssuedImportOrder[]> {
    return manager.query(
      `SELECT o.ordinal, i.id AS "invoiceId", i.invoice_number AS "invoiceNumber", i.warn_at AS "warnAt", i.upload_due_at AS "dueAt",
              i.legal_due_at AS "legalDueAt", i.buyer_email IS NOT NULL AS "notifyBuyer", i.payload, i.period
         FROM order_import_orders o JOIN invoices i ON i.import_id = o.import_id AND i.import_ordinal = o.ordinal
        WHERE o.import_id = $1 AND o.state = 'issued' AND ($3::int[] IS NULL OR o.ordinal = ANY($3)) ORDER BY o.ordinal LIMIT $2`,
      [importId, limit, ordinals ?? null],
    );
  }

  async markIssued(manager: EntityManager, importId: string, ordinal: number, invoiceNumber: string): Promise<void> {
    await manager.query(`UPDATE order_import_orders SET state = 'issued', invoice_number = $3 WHERE import_id = $1 AND ordinal = $2`, [importId, ordinal, invoiceNumber]);
  }

  async markFailed(manager: EntityManager, importId: string, ordinal: number, error: { code: string; message: string }): Promise<void> {
    await manager.query(`UPDATE order_import_orders SET state = 'failed', error = $3 WHERE import_id = $1 AND ordinal = $2`, [importId, ordinal, JSON.stringify(error)]);
  }

  async markStarted(importId: string, ordinals: number[]): Promise<void> {
    await this.db.query(`UPDATE order_import_orders SET state = 'started' WHERE import_id = $1 AND ordinal = ANY($2) AND state = 'issued'`, [importId, ordinals]);
  }

  async finish(importId: string): Promise<void> {
    await this.db.query(`UPDATE order_imports SET state = 'done', finished_at = COALESCE(finished_at, now()) WHERE id = $1`, [importId]);
  }
}
