import { DataSource, EntityManager } from 'typeorm';
import { DeadlineState, FollowUpMessageType } from '../../contracts/workflows';
import { InvoiceMessageRecord, errorOf } from './invoice.records';

type Db = DataSource | EntityManager;

interface MessageRow {
  id: string;
  invoice_id: string;
  allowance_id: string | null;
  message_type: FollowUpMessageType;
  occurred_at: Date;
  status: InvoiceMessageRecord['status'];
  deadline_state: DeadlineState;
  warn_at: Date;
  due_at: Date;
  legal_due_at: Date;
  last_error_code: string | null;
  last_error_message: string | null;
}

function toMessage(row: MessageRow): InvoiceMessageRecord {
  return {
    id: row.id,
    invoiceId: row.invoice_id,
    allowanceId: row.allowance_id,
    messageType: row.message_type,
    occurredAt: row.occurred_at,
    status: row.status,
    deadlineState: row.deadline_state,
    warnAt: row.warn_at,
    dueAt: row.due_at,
    legalDueAt: row.legal_due_at,
    lastError: errorOf(row.last_error_code, row.last_error_message),
  };
}

export interface NewMessage {
  invoiceId: string;
  allowanceId: string | null;
  messageType: FollowUpMessageType;
  occurredAt: Date;
  warnAt: Date;
  dueAt: Date;
  legalDueAt: Date;
}

/** A message as the invoice detail and the deadline lists show it. */
export interface MessageView {
  invoiceNumber?: string;
  messageType: FollowUpMessageType;
  allowanceNumber: string | null;
  at?: Date;
  status: InvoiceMessageRecord['status'];
  sentAt: Date | null;
  acceptedAt: Date | null;
  deadlineState: DeadlineState;
  warnAt: Date;
  dueAt: Date;
  legalDueAt: Date;
  errorCode: string | null;
  errorMessage: string | null;
}

const VIEW_COLUMNS = `m.message_type AS "messageType", a.allowance_number AS "allowanceNumber", m.status, m.sent_at AS "sentAt",
  m.accepted_at AS "acceptedAt", m.deadline_state AS "deadlineState",
  m.warn_at AS "warnAt", m.due_at AS "dueAt", m.legal_due_at AS "legalDueAt", m.last_error_code AS "errorCode", m.last_error_message AS "errorMessage"`;

/** The SQL of `invoice_messages`: voids, allowances and allowance voids, each with its own upload and deadlines. */
export class InvoiceMessagesRepository {
  constructor(private readonly db: DataSource) {}

  async insert(manager: EntityManager, message: NewMessage): Promise<InvoiceMessageRecord> {
    const [row]: MessageRow[] = await manager.query(
      `INSERT INTO invoice_messages (invoice_id, allowance_id, message_type, occurred_at, warn_at, due_at, legal_due_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [message.invoiceId, message.allowanceId, message.messageType, message.occurredAt, message.warnAt, message.dueAt, message.legalDueAt],
    );
    return toMessage(row);
  }

  async findById(messageId: string, manager: Db = this.db): Promise<InvoiceMessageRecord | undefined> {
    const [row]: MessageRow[] = await manager.query(`SELECT * FROM invoice_messages WHERE id = $1`, [messageId]);
    return row && toMessage(row);
  }

  async findVoidOf(manager: Db, invoiceId: string): Promise<InvoiceMessageRecord | undefined> {
    const [row]: MessageRow[] = await manager.query(`SELECT * FROM invoice_messages WHERE invoice_id = $1 AND message_type = 'F0501'`, [invoiceId]);
    return row && toMessage(row);
  }

  async findOfAllowance(manager: Db, allowanceId: string, messageType: 'G0401' | 'G0501'): Promise<InvoiceMessageRecord | undefined> {
    const [row]: MessageRow[] = await manager.query(`SELECT * FROM invoice_messages WHERE allowance_id = $1 AND message_type = $2`, [allowanceId, messageType]);
    return row && toMessage(row);
  }

  /** Messages not yet accepted, in the order they were entered. */
  async openOf(invoiceId: string): Promise<InvoiceMessageRecord[]> {
    const rows: MessageRow[] = await this.db.query(`SELECT * FROM invoice_messages WHERE invoice_id = $1 AND status <> 'accepted' ORDER BY created_at`, [invoiceId]);
    return rows.map(toMessage);
  }

  /** The invoice and type of the message when its deadline state changed; undefined when it already had it. */
  async markDeadline(manager: EntityManager, messageId: string, state: DeadlineState): Promise<{ invoiceId: string; messageType: FollowUpMessageType } | undefined> {
    const [rows]: [{ invoice_id: string; message_type: FollowUpMessageType }[]] = await manager.query(
      `UPDATE invoice_messages SET deadline_state = $2 WHERE id = $1 AND deadline_state NOT IN ('done', $2) RETURNING invoice_id, message_type`,
      [messageId, state],
    );
    return rows[0] && { invoiceId: rows[0].invoice_id, messageType: rows[0].message_type };
  }

  async viewsOf(manager: Db, invoiceId: string): Promise<MessageView[]> {
    return manager.query(
      `SELECT ${VIEW_COLUMNS}, m.occurred_at AS "at"
         FROM invoice_messages m LEFT JOIN allowances a ON a.id = m.allowance_id WHERE m.invoice_id = $1 ORDER BY m.created_at`,
      [invoiceId],
    );
  }

  /** Messages of a seller not yet accepted, nearest due first; served by the partial index on open deadlines. */
  async openDeadlines(filter: { sellerId: string; states: string[]; dueBefore: Date | null; limit: number }): Promise<MessageView[]> {
    return this.db.query(
      `SELECT i.invoice_number AS "invoiceNumber", ${VIEW_COLUMNS}
         FROM invoice_messages m JOIN invoices i ON i.id = m.invoice_id LEFT JOIN allowances a ON a.id = m.allowance_id
        WHERE m.deadline_state <> 'done' AND m.deadline_state = ANY($1) AND i.seller_id = $2 AND ($3::timestamptz IS NULL OR m.due_at <= $3)
        ORDER BY m.due_at LIMIT $4`,
      [filter.states, filter.sellerId, filter.dueBefore, filter.limit],
    );
  }
}
