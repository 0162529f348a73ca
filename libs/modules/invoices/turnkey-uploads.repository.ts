import { DataSource, EntityManager } from 'typeorm';
import { TurnkeyMessageType } from '../../adapters/turnkey/turnkey-folders';
import { PlatformError, TurnkeyUploadRecord, errorOf } from './invoice.records';

type Db = DataSource | EntityManager;

interface UploadRow {
  id: string;
  invoice_id: string;
  message_id: string | null;
  message_type: TurnkeyMessageType;
  file_name: string;
  invoice_identifier: string;
  delivered_at: Date;
  sent_at: Date | null;
  outcome: TurnkeyUploadRecord['outcome'];
  error_code: string | null;
  error_message: string | null;
  outcome_at: Date | null;
}

function toUpload(row: UploadRow): TurnkeyUploadRecord {
  return {
    id: row.id,
    invoiceId: row.invoice_id,
    messageId: row.message_id,
    messageType: row.message_type,
    fileName: row.file_name,
    invoiceIdentifier: row.invoice_identifier,
    deliveredAt: row.delivered_at,
    sentAt: row.sent_at,
    outcome: row.outcome,
    error: errorOf(row.error_code, row.error_message),
    outcomeAt: row.outcome_at,
  };
}

/** Which message an upload carries: the invoice's F0401 (no message id) or one of its follow-up messages. */
export interface UploadSubject {
  invoiceId: string;
  messageType: TurnkeyMessageType;
  messageId: string | null;
}

/** The invoice an upload belongs to, as a verdict's alerts name it. */
export interface UploadInvoice {
  invoiceId: string;
  sellerId: string;
  channelId: string | null;
  invoiceNumber: string;
}

/** An upload as the invoice detail shows it. */
export interface UploadView {
  messageType: TurnkeyMessageType;
  fileName: string;
  deliveredAt: Date;
  sentAt: Date | null;
  outcome: TurnkeyUploadRecord['outcome'];
  errorCode: string | null;
  errorMessage: string | null;
  outcomeAt: Date | null;
}

/**
 * What a verdict ($2 the outcome, $3/$4 the error, $5 its time) sets on its subject besides the status: the invoice
 * and a follow-up message carry the same columns for it. Accepted closes the deadlines and counts as sent.
 */
const VERDICT_ON_SUBJECT = `deadline_state = CASE WHEN $2::text = 'accepted' THEN 'done' ELSE deadline_state END,
                accepted_at = CASE WHEN $2::text = 'accepted' THEN $5::timestamptz ELSE accepted_at END,
                sent_at = CASE WHEN $2::text = 'accepted' THEN coalesce(sent_at, $5::timestamptz) ELSE sent_at END,
                last_error_code = $3::text, last_error_message = $4::text`;

const OF_SUBJECT = `invoice_id = $1 AND message_type = $2 AND message_id IS NOT DISTINCT FROM $3`;

/** The SQL of `turnkey_uploads`: one row per file handed to Turnkey, with the platform's verdict on it. */
export class TurnkeyUploadsRepository {
  constructor(private readonly db: DataSource) {}

  /** Every upload of the subject, newest first: one per attempt (a message is uploaded again after a rejection). */
  async attemptsOf(subject: UploadSubject): Promise<TurnkeyUploadRecord[]> {
    const rows: UploadRow[] = await this.db.query(`SELECT * FROM turnkey_uploads WHERE ${OF_SUBJECT} ORDER BY delivered_at DESC`, [
      subject.invoiceId,
      subject.messageType,
      subject.messageId,
    ]);
    return rows.map(toUpload);
  }

  async insert(subject: UploadSubject, fileName: string, invoiceIdentifier: string): Promise<TurnkeyUploadRecord> {
    const [row]: UploadRow[] = await this.db.query(
      `INSERT INTO turnkey_uploads (invoice_id, message_id, message_type, file_name, invoice_identifier) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
      [subject.invoiceId, subject.messageId, subject.messageType, fileName, invoiceIdentifier],
    );
    return toUpload(row);
  }

  /** When the verdict on the subject's previous attempt arrived, if any. */
  async previousVerdictAt(uploadId: string, subject: Omit<UploadSubject, 'invoiceId'>): Promise<Date | null> {
    const [{ previous }] = await this.db.query(
      `SELECT max(outcome_at) AS previous FROM turnkey_uploads
        WHERE invoice_id = (SELECT invoice_id FROM turnkey_uploads WHERE id = $1) AND message_type = $2
          AND message_id IS NOT DISTINCT FROM $3 AND id <> $1 AND outcome <> 'pending'`,
      [uploadId, subject.messageType, subject.messageId],
    );
    return previous;
  }

  async invoiceOf(manager: Db, uploadId: string): Promise<string | undefined> {
    const [row] = await manager.query(`SELECT invoice_id FROM turnkey_uploads WHERE id = $1`, [uploadId]);
    return row?.invoice_id;
  }

  /**
   * The upload's file is in Turnkey's folder: its subject (the invoice for F0401, else the follow-up message) is
   * uploading — without a sent-at, which belongs to the attempt Turnkey reported sent, so a resend starts without one
   * (a redelivery of the same attempt keeps its state) — and the invoice's timeline says so. Each step below is one
   * statement over the upload, its subject and the timeline: one round trip, atomic alone.
   */
  async recordDelivered(subject: Omit<UploadSubject, 'messageType'>, detail: object): Promise<void> {
    await this.db.query(
      `WITH invoice AS (
         UPDATE invoices SET status = 'uploading', sent_at = NULL WHERE $2::uuid IS NULL AND id = $1 AND status IN ('issued', 'rejected')
       ), message AS (
         UPDATE invoice_messages SET status = 'uploading', sent_at = NULL WHERE id = $2 AND status IN ('pending', 'rejected')
       )
       INSERT INTO invoice_events (invoice_id, kind, detail) VALUES ($1, 'delivered', $3)`,
      [subject.invoiceId, subject.messageId, JSON.stringify(detail)],
    );
  }

  /**
   * Turnkey's G, recorded the first time only (a look run again records nothing): handed to the platform, not yet
   * confirmed, so the subject's deadlines still run.
   */
  async recordSent(uploadId: string, messageId: string | null, at: Date, detail: object): Promise<void> {
    await this.db.query(
      `WITH up AS (
         UPDATE turnkey_uploads SET sent_at = $2 WHERE id = $1 AND sent_at IS NULL AND outcome = 'pending' RETURNING invoice_id
       ), invoice AS (
         UPDATE invoices SET status = 'sent', sent_at = $2 WHERE $3::uuid IS NULL AND id IN (SELECT invoice_id FROM up) AND status IN ('issued', 'uploading')
       ), message AS (
         UPDATE invoice_messages SET status = 'sent', sent_at = $2 WHERE id = $3 AND EXISTS (SELECT FROM up) AND status IN ('pending', 'uploading')
       )
       INSERT INTO invoice_events (invoice_id, kind, detail) SELECT invoice_id, 'sent', $4 FROM up`,
      [uploadId, at, messageId, JSON.stringify(detail)],
    );
  }

  /**
   * Records the verdict once, on the upload, its subject and the timeline, and answers the invoice the upload belongs
   * to (what its alerts name); undefined when a verdict was recorded already (a workflow task run again looks again).
   * A `C` seen before its `G` still counts as sent, at the latest then.
   */
  async recordOutcome(
    manager: EntityManager,
    upload: { uploadId: string; messageId: string | null },
    outcome: 'accepted' | 'rejected',
    error: PlatformError | null,
    at: Date,
    detail: object,
  ): Promise<UploadInvoice | undefined> {
    const rows: { invoice_id: string; seller_id: string; channel_id: string | null; invoice_number: string }[] = await manager.query(
      `WITH up AS (
         UPDATE turnkey_uploads u SET outcome = $2::text, error_code = $3::text, error_message = $4::text, outcome_at = $5::timestamptz,
                sent_at = CASE WHEN $2::text = 'accepted' THEN coalesce(u.sent_at, $5::timestamptz) ELSE u.sent_at END
           FROM invoices i
          WHERE u.id = $1 AND u.outcome = 'pending' AND i.id = u.invoice_id
          RETURNING u.invoice_id, i.seller_id, i.channel_id, i.invoice_number
       ), invoice AS (
         UPDATE invoices
            SET status = CASE WHEN $2::text = 'rejected' THEN 'rejected'
                              WHEN status IN ('issued', 'uploading', 'sent', 'rejected') THEN 'accepted' ELSE status END,
                ${VERDICT_ON_SUBJECT}
          WHERE $6::uuid IS NULL AND id IN (SELECT invoice_id FROM up)
       ), message AS (
         UPDATE invoice_messages
            SET status = $2::text,
                ${VERDICT_ON_SUBJECT}
          WHERE id = $6 AND EXISTS (SELECT FROM up)
       ), event AS (
         INSERT INTO invoice_events (invoice_id, kind, detail) SELECT invoice_id, $2::text, $7 FROM up
       )
       SELECT * FROM up`,
      [upload.uploadId, outcome, error?.code ?? null, error?.message ?? null, at, upload.messageId, JSON.stringify(detail)],
    );
    const row = rows[0];
    return row && { invoiceId: row.invoice_id, sellerId: row.seller_id, channelId: row.channel_id, invoiceNumber: row.invoice_number };
  }

  /** The verdict recorded on an upload, if any. */
  async outcomeOf(manager: Db, uploadId: string): Promise<Pick<TurnkeyUploadRecord, 'outcome' | 'error'>> {
    const [row]: UploadRow[] = await manager.query(`SELECT outcome, error_code, error_message FROM turnkey_uploads WHERE id = $1`, [uploadId]);
    return { outcome: row.outcome, error: errorOf(row.error_code, row.error_message) };
  }

  async viewsOf(manager: Db, invoiceId: string): Promise<UploadView[]> {
    return manager.query(
      `SELECT message_type AS "messageType", file_name AS "fileName", delivered_at AS "deliveredAt", sent_at AS "sentAt", outcome,
              error_code AS "errorCode", error_message AS "errorMessage", outcome_at AS "outcomeAt"
         FROM turnkey_uploads WHERE invoice_id = $1 ORDER BY delivered_at`,
      [invoiceId],
    );
  }
}
