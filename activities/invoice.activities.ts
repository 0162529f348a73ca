import { ApplicationFailure } from '@temporalio/activity';
import { DataSource, EntityManager } from 'typeorm';
import { FollowUpMessage, FollowUpMessageType, ResendCorrections, VoidRequest } from '../libs/contracts/workflows';
import { DomainError } from '../libs/domain/domain-error';
import { AllowanceLine, AllowanceRequest, allowanceItemMoney, planAllowance } from '../libs/domain/invoice/allowances';
import { computeAmounts, lineTaxType } from '../libs/domain/invoice/compute-amounts';
import { uploadDeadlines } from '../libs/domain/invoice/deadlines';
import { InvoiceInput } from '../libs/domain/invoice/invoice.types';
import { renderF0401 } from '../libs/domain/mig/f0401';
import { renderF0501 } from '../libs/domain/mig/f0501';
import { renderG0401 } from '../libs/domain/mig/g0401';
import { renderG0501 } from '../libs/domain/mig/g0501';
import { invoiceFacts } from '../libs/contracts/invoice-facts';
import { Mailer } from '../libs/adapters/mail/mailer';
import { TurnkeyGateway } from '../libs/adapters/turnkey/turnkey.gateway';
import { TurnkeyMessageType, invoiceIdentifier } from '../libs/adapters/turnkey/turnkey-folders';

export interface InvoiceActivityDeps {
  db: DataSource;
  gateway: TurnkeyGateway;
  mailer?: Mailer;
  /** How long before a message's due time staff are warned. */
  warnBeforeMs: number;
}

interface InvoiceForMessage {
  id: string;
  period: string;
  seller_id: string;
  invoice_number: string;
  issued_at: Date;
  random_number: string;
  payload: InvoiceInput;
  buyer_ban: string | null;
  buyer_name: string | null;
  buyer_email: string | null;
  total_amount: string;
  voided_at: Date | null;
  void_reason: string | null;
  void_approval_number: string | null;
  void_request_key: string | null;
  seller_ban: string;
  seller_name: string;
  seller_address: string | null;
}

interface MessageRow {
  id: string;
  message_type: FollowUpMessageType;
  occurred_at: Date;
  warn_at: Date;
  due_at: Date;
  legal_due_at: Date;
  allowance_id: string | null;
}

interface AllowanceRow {
  id: string;
  seller_id: string;
  allowance_number: string;
  allowance_date: Date;
  items: AllowanceLine[];
  status: 'live' | 'voided';
  void_reason: string | null;
  voided_at: Date | null;
  void_request_key: string | null;
}

export type DeliveredUpload = {
  uploadId: string;
  messageType: TurnkeyMessageType;
  messageId: string | null;
  fileName: string;
  invoiceIdentifier: string;
  deliveredAt: string;
};
export type RecordedOutcome = { state: 'accepted' } | { state: 'rejected'; errorCode: string; errorMessage: string };
export type DeadlineTarget = { invoiceId: string } | { messageId: string };

/** Thrown while Turnkey has no verdict yet; the workflow's retry policy turns it into polling. */
export const OUTCOME_PENDING = 'TURNKEY.OUTCOME_PENDING';

function permanent(type: string, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true });
}

/** Idempotency keys are per seller: one already spent on another invoice or allowance is a caller's mistake. */
function reusedKey(key: string, usedFor: string): ApplicationFailure {
  return permanent('IDEMPOTENCY_KEY.REUSED', `Idempotency-Key '${key}' was already used for ${usedFor}; use a new key for a new request`);
}

async function refuseReusedKey(manager: EntityManager, sql: string, sellerId: string, key: string): Promise<void> {
  const [row] = await manager.query(sql, [sellerId, key]);
  if (row) throw reusedKey(key, row.used);
}

function followUp(row: MessageRow): FollowUpMessage {
  return {
    messageId: row.id,
    messageType: row.message_type,
    warnAt: row.warn_at.toISOString(),
    dueAt: row.due_at.toISOString(),
    legalDueAt: row.legal_due_at.toISOString(),
  };
}

export const createInvoiceActivities = (deps: InvoiceActivityDeps) => {
  const { db, gateway } = deps;
  const event = (manager: EntityManager | DataSource, invoiceId: string, kind: string, detail: object = {}) =>
    manager.query(`INSERT INTO invoice_events (invoice_id, kind, detail) VALUES ($1, $2, $3)`, [invoiceId, kind, JSON.stringify(detail)]);

  async function load(invoiceId: string, manager: EntityManager | DataSource = db, lock = false): Promise<InvoiceForMessage> {
    const [row] = await manager.query(
      `SELECT i.*, s.ban AS seller_ban, s.name AS seller_name, s.address AS seller_address
         FROM invoices i JOIN sellers s ON s.id = i.seller_id WHERE i.id = $1 ${lock ? 'FOR UPDATE OF i' : ''}`,
      [invoiceId],
    );
    if (!row) throw permanent('INVOICE.NOT_FOUND', `no invoice ${invoiceId}`);
    return row;
  }

  /** A follow-up message with deadlines counted from its own time, as the law counts them. */
  async function insertMessage(manager: EntityManager, invoiceId: string, type: FollowUpMessageType, at: Date, b2b: boolean, allowanceId: string | null) {
    const { dueAt, legalDueAt, warnAt } = uploadDeadlines(at, b2b, deps.warnBeforeMs);
    const [row]: MessageRow[] = await manager.query(
      `INSERT INTO invoice_messages (invoice_id, allowance_id, message_type, occurred_at, warn_at, due_at, legal_due_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [invoiceId, allowanceId, type, at, warnAt, dueAt, legalDueAt],
    );
    return followUp(row);
  }

  async function render(invoice: InvoiceForMessage, message: MessageRow | undefined): Promise<{ type: TurnkeyMessageType; subject: string; date: Date; xml: string }> {
    if (!message) {
      return {
        type: 'F0401',
        subject: invoice.invoice_number,
        date: invoice.issued_at,
        xml: renderF0401({
          number: invoice.invoice_number,
          issuedAt: invoice.issued_at,
          randomNumber: invoice.random_number,
          seller: { ban: invoice.seller_ban, name: invoice.seller_name, address: invoice.seller_address },
          input: invoice.payload,
          // Amounts follow from the stored order alone; corrections never touch them.
          amounts: computeAmounts(invoice.payload),
        }),
      };
    }
    if (message.message_type === 'F0501') {
      return {
        type: 'F0501',
        subject: invoice.invoice_number,
        date: message.occurred_at,
        xml: renderF0501({
          invoiceNumber: invoice.invoice_number,
          invoiceDate: invoice.issued_at,
          buyerBan: invoice.buyer_ban,
          sellerBan: invoice.seller_ban,
          cancelledAt: invoice.voided_at!,
          reason: invoice.void_reason!,
          returnTaxDocumentNumber: invoice.void_approval_number ?? undefined,
        }),
      };
    }
    const [allowance]: AllowanceRow[] = await db.query(`SELECT * FROM allowances WHERE id = $1`, [message.allowance_id]);
    if (message.message_type === 'G0501') {
      return {
        type: 'G0501',
        subject: allowance.allowance_number,
        date: message.occurred_at,
        xml: renderG0501({
          allowanceNumber: allowance.allowance_number,
          allowanceDate: allowance.allowance_date,
          buyerBan: invoice.buyer_ban,
          sellerBan: invoice.seller_ban,
          cancelledAt: allowance.voided_at!,
          reason: allowance.void_reason!,
        }),
      };
    }
    const b2b = Boolean(invoice.buyer_ban);
    return {
      type: 'G0401',
      subject: allowance.allowance_number,
      date: allowance.allowance_date,
      xml: renderG0401({
        allowanceNumber: allowance.allowance_number,
        allowanceDate: allowance.allowance_date,
        seller: { ban: invoice.seller_ban, name: invoice.seller_name, address: invoice.seller_address },
        buyer: { ban: invoice.buyer_ban, name: invoice.buyer_name },
        items: allowance.items.map((item) => {
          const line = invoice.payload.lines[item.lineIndex];
          const taxType = lineTaxType(invoice.payload, line);
          const { untaxed, tax } = allowanceItemMoney(item.amount, taxType, b2b);
          return {
            originalInvoiceDate: invoice.issued_at,
            originalInvoiceNumber: invoice.invoice_number,
            originalSequenceNumber: item.lineIndex + 1,
            originalDescription: line.description,
            quantity: item.quantity,
            unit: line.unit,
            // MIG decimals carry 7 places; the platform does not require quantity × unit price = amount here.
            unitPrice: Number((untaxed / item.quantity).toFixed(7)),
            amount: untaxed,
            tax,
            taxType,
          };
        }),
      }),
    };
  }

  return {
    /**
     * Renders the message (F0401 when messageId is null) and hands it to Turnkey. A retry after a crash finds the
     * upload it had recorded and delivers the same file again (a no-op for Turnkey): one attempt is one file.
     */
    async deliverMessage(invoiceId: string, messageId: string | null): Promise<DeliveredUpload> {
      const invoice = await load(invoiceId);
      // A number cancelled as blank is reported blank: its F0401 must never reach the platform.
      if (!messageId && invoice.voided_at) throw permanent('INVOICE.NOT_UPLOADABLE', `invoice ${invoice.invoice_number} is cancelled; its F0401 is not sent`);
      const [message]: MessageRow[] = messageId ? await db.query(`SELECT * FROM invoice_messages WHERE id = $1`, [messageId]) : [];
      const rendered = await render(invoice, message);
      const identifier = invoiceIdentifier(rendered.type as Exclude<TurnkeyMessageType, 'E0402'>, rendered.subject, rendered.date);
      const pending = `invoice_id = $1 AND message_type = $2 AND message_id IS NOT DISTINCT FROM $3`;
      let [upload]: { id: string; file_name: string; delivered_at: Date }[] = await db.query(
        `SELECT id, file_name, delivered_at FROM turnkey_uploads WHERE ${pending} AND outcome = 'pending' ORDER BY delivered_at DESC LIMIT 1`,
        [invoiceId, rendered.type, messageId],
      );
      if (!upload) {
        const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM turnkey_uploads WHERE ${pending}`, [invoiceId, rendered.type, messageId]);
        [upload] = await db.query(
          `INSERT INTO turnkey_uploads (invoice_id, message_id, message_type, file_name, invoice_identifier)
           VALUES ($1, $2, $3, $4, $5) RETURNING id, file_name, delivered_at`,
          [invoiceId, messageId, rendered.type, `${rendered.type}-${invoice.seller_ban}-${rendered.subject}-${n + 1}.xml`, identifier],
        );
      }
      await gateway.deliver({ messageType: rendered.type, fileName: upload.file_name, xml: rendered.xml });
      if (messageId) await db.query(`UPDATE invoice_messages SET status = 'uploading' WHERE id = $1 AND status <> 'accepted'`, [messageId]);
      else await db.query(`UPDATE invoices SET status = 'uploading' WHERE id = $1 AND status IN ('issued', 'rejected')`, [invoiceId]);
      await event(db, invoiceId, 'delivered', { messageType: rendered.type, fileName: upload.file_name });
      return {
        uploadId: upload.id,
        messageType: rendered.type,
        messageId,
        fileName: upload.file_name,
        invoiceIdentifier: identifier,
        deliveredAt: upload.delivered_at.toISOString(),
      };
    },

    /**
     * One look at Turnkey's log for the verdict on an upload. While there is none it fails retryably, and the retry
     * policy paces the polling: no worker slot is held while waiting and an outage costs no history events.
     */
    async checkOutcome(upload: DeliveredUpload): Promise<RecordedOutcome> {
      // Turnkey's log names the message, not the file: a verdict counts for this upload only if it is newer than the
      // verdict on the previous attempt (a resend can follow a rejection within the same second).
      const [{ previous }] = await db.query(
        `SELECT max(outcome_at) AS previous FROM turnkey_uploads
          WHERE invoice_id = (SELECT invoice_id FROM turnkey_uploads WHERE id = $1) AND message_type = $2
            AND message_id IS NOT DISTINCT FROM $3 AND id <> $1 AND outcome <> 'pending'`,
        [upload.uploadId, upload.messageType, upload.messageId],
      );
      const since = new Date(Math.max(new Date(upload.deliveredAt).getTime() - 1000, previous ? previous.getTime() + 1 : 0));
      const outcome = await gateway.outcome({ messageType: upload.messageType, invoiceIdentifier: upload.invoiceIdentifier, since });
      if (outcome.state === 'pending') {
        throw ApplicationFailure.create({ type: OUTCOME_PENDING, message: `no platform result yet for ${upload.fileName}` });
      }
      return db.transaction(async (manager) => {
        const error = outcome.state === 'rejected' ? { code: outcome.errorCode, message: outcome.errorMessage } : null;
        // For an UPDATE the driver answers [rows, rowCount].
        const [[{ invoice_id: invoiceId }]] = await manager.query(
          `UPDATE turnkey_uploads SET outcome = $2, error_code = $3, error_message = $4, outcome_at = $5 WHERE id = $1 RETURNING invoice_id`,
          [upload.uploadId, outcome.state, error?.code ?? null, error?.message ?? null, outcome.at],
        );
        if (upload.messageId) {
          await manager.query(
            `UPDATE invoice_messages SET status = $2, last_error_code = $3, last_error_message = $4,
                    deadline_state = CASE WHEN $2 = 'accepted' THEN 'done' ELSE deadline_state END
              WHERE id = $1`,
            [upload.messageId, outcome.state, error?.code ?? null, error?.message ?? null],
          );
        } else if (outcome.state === 'accepted') {
          await manager.query(
            `UPDATE invoices SET status = CASE WHEN status IN ('issued', 'uploading', 'rejected') THEN 'accepted' ELSE status END,
                    deadline_state = 'done', accepted_at = $2, last_error_code = NULL, last_error_message = NULL
              WHERE id = $1`,
            [invoiceId, outcome.at],
          );
        } else {
          await manager.query(`UPDATE invoices SET status = 'rejected', last_error_code = $2, last_error_message = $3 WHERE id = $1`, [
            invoiceId,
            error!.code,
            error!.message,
          ]);
        }
        await event(manager, invoiceId, outcome.state, { messageType: upload.messageType, fileName: upload.fileName, ...(error ?? {}) });
        return error ? { state: 'rejected' as const, errorCode: error.code, errorMessage: error.message } : { state: 'accepted' as const };
      });
    },

    async markDeadline(target: DeadlineTarget, state: 'due_soon' | 'overdue' | 'past_legal'): Promise<void> {
      const [table, id] = 'invoiceId' in target ? ['invoices', target.invoiceId] : ['invoice_messages', target.messageId];
      await db.transaction(async (manager) => {
        const [rows] = await manager.query(
          `UPDATE ${table} SET deadline_state = $2 WHERE id = $1 AND deadline_state NOT IN ('done', $2)
           RETURNING ${table === 'invoices' ? 'id' : 'invoice_id'} AS invoice_id${table === 'invoices' ? '' : ', message_type'}`,
          [id, state],
        );
        if (rows.length > 0) await event(manager, rows[0].invoice_id, 'deadline', { state, messageType: rows[0].message_type ?? 'F0401' });
      });
    },

    /** Sends the buyer's notice once: the row is written after a successful send and checked before any send. */
    async notifyBuyer(invoiceId: string): Promise<'sent' | 'already sent' | 'no address' | 'no mail server'> {
      const invoice = await load(invoiceId);
      if (!invoice.buyer_email) return 'no address';
      const [sent] = await db.query(`SELECT 1 FROM invoice_notifications WHERE invoice_id = $1`, [invoiceId]);
      if (sent) return 'already sent';
      if (!deps.mailer) {
        await event(db, invoiceId, 'mail skipped', { reason: 'no SMTP server configured' });
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
      await event(db, invoiceId, 'mailed', { to: invoice.buyer_email });
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
        if (!payload.lines[index]) throw permanent('INVOICE.NO_SUCH_LINE', `the invoice has no line ${index + 1}`);
        payload.lines[index].description = description;
      }
      await db.query(`UPDATE invoices SET payload = $2, buyer_name = $3 WHERE id = $1`, [invoiceId, JSON.stringify(payload), payload.buyer.name ?? null]);
      await event(db, invoiceId, 'corrected', corrections);
    },

    /**
     * Voids the invoice (F0501 to upload) or cancels its number as blank (nothing to upload; the reconciliation
     * reports the number). Idempotent on the request key; the database refuses a second, different void.
     */
    async recordVoid(invoiceId: string, request: VoidRequest & { b2b: boolean }): Promise<{ voidedAt: string; message: FollowUpMessage | null }> {
      return db.transaction(async (manager) => {
        const invoice = await load(invoiceId, manager, true);
        const [existing]: MessageRow[] = await manager.query(`SELECT * FROM invoice_messages WHERE invoice_id = $1 AND message_type = 'F0501'`, [invoiceId]);
        if (invoice.void_request_key === request.key) return { voidedAt: invoice.voided_at!.toISOString(), message: existing ? followUp(existing) : null };
        if (invoice.voided_at) throw permanent('VOID.ALREADY', `invoice ${invoice.invoice_number} is already voided`);
        await refuseReusedKey(manager, `SELECT invoice_number AS used FROM invoices WHERE seller_id = $1 AND void_request_key = $2`, invoice.seller_id, request.key);
        // The workflow checked this too; under the row lock the database has the last word.
        const [live] = await manager.query(`SELECT allowance_number FROM allowances WHERE invoice_id = $1 AND status = 'live' LIMIT 1`, [invoiceId]);
        if (live) throw permanent('VOID.LIVE_ALLOWANCES', `void the allowance ${live.allowance_number} first`);
        const voidedAt = new Date();
        const status = request.mode === 'cancel_blank' ? 'cancelled_blank' : 'voided';
        await manager.query(
          `UPDATE invoices SET status = $2, void_reason = $3, void_approval_number = $4, voided_at = $5, void_request_key = $6,
                  deadline_state = 'done'
            WHERE id = $1`,
          [invoiceId, status, request.reason.trim(), request.approvalNumber?.trim() || null, voidedAt, request.key],
        );
        const message = status === 'voided' ? await insertMessage(manager, invoiceId, 'F0501', voidedAt, request.b2b, null) : null;
        await event(manager, invoiceId, status === 'voided' ? 'voided' : 'cancelled as blank', { reason: request.reason.trim(), approvalNumber: request.approvalNumber });
        return { voidedAt: voidedAt.toISOString(), message };
      });
    },

    /** Records an allowance already checked by the workflow; its number comes from a database sequence. */
    async recordAllowance(
      invoiceId: string,
      request: { key: string; request: AllowanceRequest; reason?: string; b2b: boolean },
    ): Promise<{ allowanceNumber: string; allowanceDate: string; lines: AllowanceLine[]; message: FollowUpMessage }> {
      return db.transaction(async (manager) => {
        const invoice = await load(invoiceId, manager, true);
        const [existing]: (AllowanceRow & { message_id: string; invoice_id: string })[] = await manager.query(
          `SELECT a.*, m.id AS message_id FROM allowances a JOIN invoice_messages m ON m.allowance_id = a.id AND m.message_type = 'G0401'
            WHERE a.seller_id = $1 AND a.request_key = $2`,
          [invoice.seller_id, request.key],
        );
        if (existing && existing.invoice_id !== invoiceId) throw reusedKey(request.key, existing.allowance_number);
        if (existing) {
          const [message]: MessageRow[] = await manager.query(`SELECT * FROM invoice_messages WHERE id = $1`, [existing.message_id]);
          return { allowanceNumber: existing.allowance_number, allowanceDate: existing.allowance_date.toISOString(), lines: existing.items, message: followUp(message) };
        }
        if (invoice.voided_at) throw permanent('ALLOWANCE.INVOICE_VOIDED', `invoice ${invoice.invoice_number} is voided; it takes no allowance`);
        // Planned again from the database under the invoice's row lock: the workflow's own check may have seen an
        // older state (a run started again from a snapshot), the limits must not depend on that.
        const recorded: { allowance_number: string; status: string; items: AllowanceLine[] }[] = await manager.query(
          `SELECT allowance_number, status, items FROM allowances WHERE invoice_id = $1`,
          [invoiceId],
        );
        let lines: AllowanceLine[];
        try {
          lines = planAllowance(
            invoiceFacts(invoice.payload, invoice.period).lines,
            recorded.map((a) => ({ number: a.allowance_number, live: a.status === 'live', lines: a.items })),
            request.request,
          );
        } catch (error) {
          if (error instanceof DomainError) throw permanent(error.code, error.message);
          throw error;
        }
        const byType = { '1': 0, '2': 0, '3': 0 };
        let tax = 0;
        for (const line of lines) {
          const taxType = lineTaxType(invoice.payload, invoice.payload.lines[line.lineIndex]);
          const money = allowanceItemMoney(line.amount, taxType, request.b2b);
          byType[taxType] += money.untaxed;
          tax += money.tax;
        }
        const allowanceDate = new Date();
        const [allowance] = await manager.query(
          `INSERT INTO allowances (seller_id, invoice_id, allowance_number, request_key, allowance_date, reason, items,
                                   taxable_amount, zero_tax_amount, free_tax_amount, tax_amount)
           VALUES ($1, $2, 'AL' || lpad(nextval('allowance_number_seq')::text, 14, '0'), $3, $4, $5, $6, $7, $8, $9, $10)
           RETURNING id, allowance_number`,
          [invoice.seller_id, invoiceId, request.key, allowanceDate, request.reason ?? null, JSON.stringify(lines), byType['1'], byType['2'], byType['3'], tax],
        );
        const message = await insertMessage(manager, invoiceId, 'G0401', allowanceDate, request.b2b, allowance.id);
        await event(manager, invoiceId, 'allowance', { allowanceNumber: allowance.allowance_number, lines });
        return { allowanceNumber: allowance.allowance_number, allowanceDate: allowanceDate.toISOString(), lines, message };
      });
    },

    async recordAllowanceVoid(invoiceId: string, request: { key: string; allowanceNumber: string; reason: string; b2b: boolean }): Promise<FollowUpMessage> {
      return db.transaction(async (manager) => {
        const [allowance]: AllowanceRow[] = await manager.query(
          `SELECT * FROM allowances WHERE invoice_id = $1 AND allowance_number = $2 FOR UPDATE`,
          [invoiceId, request.allowanceNumber],
        );
        if (!allowance) throw permanent('ALLOWANCE.NOT_FOUND', `no allowance ${request.allowanceNumber}`);
        if (allowance.void_request_key === request.key) {
          const [message]: MessageRow[] = await manager.query(`SELECT * FROM invoice_messages WHERE allowance_id = $1 AND message_type = 'G0501'`, [allowance.id]);
          return followUp(message);
        }
        if (allowance.status === 'voided') throw permanent('ALLOWANCE.ALREADY_VOIDED', `allowance ${request.allowanceNumber} is already voided`);
        await refuseReusedKey(manager, `SELECT allowance_number AS used FROM allowances WHERE seller_id = $1 AND void_request_key = $2`, allowance.seller_id, request.key);
        const voidedAt = new Date();
        await manager.query(`UPDATE allowances SET status = 'voided', void_reason = $2, voided_at = $3, void_request_key = $4 WHERE id = $1`, [
          allowance.id,
          request.reason.trim(),
          voidedAt,
          request.key,
        ]);
        const message = await insertMessage(manager, invoiceId, 'G0501', voidedAt, request.b2b, allowance.id);
        await event(manager, invoiceId, 'allowance voided', { allowanceNumber: request.allowanceNumber, reason: request.reason.trim() });
        return message;
      });
    },
  };
};

export type InvoiceActivities = ReturnType<typeof createInvoiceActivities>;
