import { ApplicationFailure } from '@temporalio/activity';
import { DataSource } from 'typeorm';
import { ResendCorrections } from '../libs/contracts/workflows';
import { computeAmounts } from '../libs/domain/invoice/compute-amounts';
import { InvoiceInput } from '../libs/domain/invoice/invoice.types';
import { renderF0401 } from '../libs/domain/mig/f0401';
import { Mailer } from '../libs/mail/mailer';
import { TurnkeyGateway, TurnkeyOutcome } from '../libs/turnkey/turnkey.gateway';
import { invoiceIdentifier } from '../libs/turnkey/turnkey-folders';

export interface InvoiceActivityDeps {
  db: DataSource;
  gateway: TurnkeyGateway;
  mailer?: Mailer;
}

interface InvoiceForMessage {
  id: string;
  invoice_number: string;
  issued_at: Date;
  random_number: string;
  payload: InvoiceInput;
  buyer_email: string | null;
  total_amount: string;
  seller_ban: string;
  seller_name: string;
  seller_address: string | null;
}

export type DeliveredUpload = { uploadId: string; fileName: string; invoiceIdentifier: string; deliveredAt: string };
export type RecordedOutcome = { state: 'accepted' } | { state: 'rejected'; errorCode: string; errorMessage: string };

/** Thrown while Turnkey has no verdict yet; the workflow's retry policy turns it into polling. */
export const OUTCOME_PENDING = 'TURNKEY.OUTCOME_PENDING';

export const createInvoiceActivities = (deps: InvoiceActivityDeps) => {
  const { db, gateway } = deps;
  const event = (invoiceId: string, kind: string, detail: object = {}) =>
    db.query(`INSERT INTO invoice_events (invoice_id, kind, detail) VALUES ($1, $2, $3)`, [invoiceId, kind, JSON.stringify(detail)]);

  async function load(invoiceId: string): Promise<InvoiceForMessage> {
    const [row] = await db.query(
      `SELECT i.*, s.ban AS seller_ban, s.name AS seller_name, s.address AS seller_address
         FROM invoices i JOIN sellers s ON s.id = i.seller_id WHERE i.id = $1`,
      [invoiceId],
    );
    if (!row) throw ApplicationFailure.create({ type: 'INVOICE.NOT_FOUND', message: `no invoice ${invoiceId}`, nonRetryable: true });
    return row;
  }

  return {
    /**
     * Renders F0401 and hands it to Turnkey. A retry after a crash finds the upload it had recorded and delivers the
     * same file again (a no-op for Turnkey), so one attempt is one file, never two.
     */
    async deliverInvoice(invoiceId: string): Promise<DeliveredUpload> {
      const invoice = await load(invoiceId);
      const identifier = invoiceIdentifier('F0401', invoice.invoice_number, invoice.issued_at);
      let [upload]: { id: string; file_name: string; delivered_at: Date }[] = await db.query(
        `SELECT id, file_name, delivered_at FROM turnkey_uploads
          WHERE invoice_id = $1 AND message_type = 'F0401' AND outcome = 'pending' ORDER BY delivered_at DESC LIMIT 1`,
        [invoiceId],
      );
      if (!upload) {
        const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM turnkey_uploads WHERE invoice_id = $1 AND message_type = 'F0401'`, [invoiceId]);
        [upload] = await db.query(
          `INSERT INTO turnkey_uploads (invoice_id, message_type, file_name, invoice_identifier)
           VALUES ($1, 'F0401', $2, $3) RETURNING id, file_name, delivered_at`,
          [invoiceId, `F0401-${invoice.seller_ban}-${invoice.invoice_number}-${n + 1}.xml`, identifier],
        );
      }
      const xml = renderF0401({
        number: invoice.invoice_number,
        issuedAt: invoice.issued_at,
        randomNumber: invoice.random_number,
        seller: { ban: invoice.seller_ban, name: invoice.seller_name, address: invoice.seller_address },
        input: invoice.payload,
        // Amounts follow from the stored order alone; corrections never touch them.
        amounts: computeAmounts(invoice.payload),
      });
      await gateway.deliver({ messageType: 'F0401', fileName: upload.file_name, xml });
      await db.query(`UPDATE invoices SET status = 'uploading' WHERE id = $1 AND status IN ('issued', 'rejected', 'uploading')`, [invoiceId]);
      await event(invoiceId, 'delivered', { fileName: upload.file_name });
      return { uploadId: upload.id, fileName: upload.file_name, invoiceIdentifier: identifier, deliveredAt: upload.delivered_at.toISOString() };
    },

    /**
     * One look at Turnkey's log for the verdict on an upload. While there is none it fails retryably, and the retry
     * policy paces the polling: no worker slot is held while waiting and an outage costs no history events.
     */
    async checkOutcome(upload: DeliveredUpload): Promise<RecordedOutcome> {
      const since = new Date(new Date(upload.deliveredAt).getTime() - 1000);
      const outcome = await gateway.outcome({ messageType: 'F0401', invoiceIdentifier: upload.invoiceIdentifier, since });
      if (outcome.state === 'pending') {
        throw ApplicationFailure.create({ type: OUTCOME_PENDING, message: `no platform result yet for ${upload.fileName}` });
      }
      return record(upload, outcome);
    },

    async markDeadline(invoiceId: string, state: 'due_soon' | 'overdue' | 'past_legal'): Promise<void> {
      const updated = await db.query(
        `UPDATE invoices SET deadline_state = $2 WHERE id = $1 AND deadline_state NOT IN ('done', $2) RETURNING invoice_number`,
        [invoiceId, state],
      );
      if (updated[1] > 0) await event(invoiceId, 'deadline', { state });
    },

    /** Sends the buyer's notice once: the row is written after a successful send and checked before any send. */
    async notifyBuyer(invoiceId: string): Promise<'sent' | 'already sent' | 'no address' | 'no mail server'> {
      const invoice = await load(invoiceId);
      if (!invoice.buyer_email) return 'no address';
      const [sent] = await db.query(`SELECT 1 FROM invoice_notifications WHERE invoice_id = $1`, [invoiceId]);
      if (sent) return 'already sent';
      if (!deps.mailer) {
        await event(invoiceId, 'mail skipped', { reason: 'no SMTP server configured' });
        return 'no mail server';
      }
      const messageId = `<invoice-${invoiceId}@einvoice.local>`;
      await deps.mailer.sendInvoiceNotice({
        to: invoice.buyer_email,
        messageId,
        sellerName: invoice.seller_name,
        invoiceNumber: invoice.invoice_number,
        issuedAt: invoice.issued_at,
        randomNumber: invoice.random_number,
        totalAmount: Number(invoice.total_amount),
      });
      await db.query(`INSERT INTO invoice_notifications (invoice_id, recipient, message_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
        invoiceId,
        invoice.buyer_email,
        messageId,
      ]);
      await event(invoiceId, 'mailed', { to: invoice.buyer_email });
      return 'sent';
    },

    /** Staff corrections before a resend: descriptive fields only, never numbers or amounts. */
    async applyCorrections(invoiceId: string, corrections: ResendCorrections): Promise<void> {
      const invoice = await load(invoiceId);
      const payload: InvoiceInput = structuredClone(invoice.payload);
      if (corrections.buyerName !== undefined) payload.buyer.name = corrections.buyerName;
      if (corrections.buyerAddress !== undefined) payload.buyer.address = corrections.buyerAddress;
      if (corrections.mainRemark !== undefined) payload.mainRemark = corrections.mainRemark;
      for (const { index, description } of corrections.lineDescriptions ?? []) {
        if (!payload.lines[index]) {
          throw ApplicationFailure.create({ type: 'INVOICE.NO_SUCH_LINE', message: `the invoice has no line ${index + 1}`, nonRetryable: true });
        }
        payload.lines[index].description = description;
      }
      await db.query(`UPDATE invoices SET payload = $2, buyer_name = $3 WHERE id = $1`, [invoiceId, JSON.stringify(payload), payload.buyer.name ?? null]);
      await event(invoiceId, 'corrected', corrections);
    },

  };

  async function record(upload: DeliveredUpload, outcome: Exclude<TurnkeyOutcome, { state: 'pending' }>): Promise<RecordedOutcome> {
    return db.transaction(async (manager) => {
      // For an UPDATE the driver answers [rows, rowCount].
      const [[{ invoice_id: invoiceId }]] = await manager.query(
        `UPDATE turnkey_uploads SET outcome = $2, error_code = $3, error_message = $4, outcome_at = $5
          WHERE id = $1 RETURNING invoice_id`,
        [upload.uploadId, outcome.state, outcome.state === 'rejected' ? outcome.errorCode : null, outcome.state === 'rejected' ? outcome.errorMessage : null, outcome.at],
      );
      if (outcome.state === 'accepted') {
        await manager.query(
          `UPDATE invoices SET status = 'accepted', deadline_state = 'done', accepted_at = $2, last_error_code = NULL, last_error_message = NULL
            WHERE id = $1 AND status IN ('issued', 'uploading', 'rejected')`,
          [invoiceId, outcome.at],
        );
        await manager.query(`INSERT INTO invoice_events (invoice_id, kind, detail) VALUES ($1, 'accepted', $2)`, [invoiceId, JSON.stringify({ fileName: upload.fileName })]);
        return { state: 'accepted' as const };
      }
      await manager.query(`UPDATE invoices SET status = 'rejected', last_error_code = $2, last_error_message = $3 WHERE id = $1`, [
        invoiceId,
        outcome.errorCode,
        outcome.errorMessage,
      ]);
      await manager.query(`INSERT INTO invoice_events (invoice_id, kind, detail) VALUES ($1, 'rejected', $2)`, [
        invoiceId,
        JSON.stringify({ fileName: upload.fileName, code: outcome.errorCode, message: outcome.errorMessage }),
      ]);
      return { state: 'rejected' as const, errorCode: outcome.errorCode, errorMessage: outcome.errorMessage };
    });
  }
};

export type InvoiceActivities = ReturnType<typeof createInvoiceActivities>;
