import { DataSource } from 'typeorm';
import { AppliedEffect, OrderState, WaitingFor } from '../../domain/order/order-book';
import { OrderEvent, OrderEventType } from '../../domain/order/order-event';

/** An order as stored: what the workflow last saved of its book. */
export interface OrderRecord {
  id: string;
  sellerId: string;
  channelId: string;
  orderNo: string;
  state: OrderState;
  waitingFor: WaitingFor[];
  attention: string | null;
  reissue: boolean;
  closed: 'cancelled' | 'voided' | null;
  issueRefusedAt: number | null;
  createdAt: Date;
  updatedAt: Date;
}

/** An event as received (once per eventId), and what the workflow made of it. */
export interface OrderEventRecord {
  receivedSeq: number;
  eventId: string;
  type: OrderEventType;
  occurredAt: Date;
  body: OrderEvent;
  receivedAt: Date;
  repeats: number;
  lastReceivedAt: Date | null;
  /** The same eventId sent again with other content: refused, counted, the last one kept for whoever looks. */
  refused: number;
  lastRefusedAt: Date | null;
  lastRefusedBody: OrderEvent | null;
  seenAt: Date | null;
  applied: AppliedEffect | null;
}

export interface OrderInvoiceLink {
  invoiceId: string;
  invoiceNumber: string;
  contentEventId: string;
  createdAt: Date;
}

/** What a workflow run saves: the book's flags, the events it has taken in, and the effects they came to. */
export interface OrderSnapshot {
  state: OrderState;
  waitingFor: WaitingFor[];
  attention: string | null;
  reissue: boolean;
  closed: 'cancelled' | 'voided' | null;
  issueRefusedAt: number | null;
  seen: string[];
  applied: (AppliedEffect & { eventId: string })[];
}

interface OrderRow {
  id: string;
  seller_id: string;
  channel_id: string;
  order_no: string;
  state: OrderState;
  waiting_for: WaitingFor[];
  attention: string | null;
  reissue: boolean;
  closed: OrderRecord['closed'];
  issue_refused_at: number | null;
  created_at: Date;
  updated_at: Date;
}

interface EventRow {
  id: string;
  event_id: string;
  type: OrderEventType;
  occurred_at: Date;
  body: OrderEvent;
  received_at: Date;
  repeats: number;
  last_received_at: Date | null;
  refused: number;
  last_refused_at: Date | null;
  last_refused_body: OrderEvent | null;
  seen_at: Date | null;
  applied_seq: number | null;
  applied_at: Date | null;
  effect: string | null;
}

const toOrder = (row: OrderRow): OrderRecord => ({
  id: row.id,
  sellerId: row.seller_id,
  channelId: row.channel_id,
  orderNo: row.order_no,
  state: row.state,
  waitingFor: row.waiting_for,
  attention: row.attention,
  reissue: row.reissue,
  closed: row.closed,
  issueRefusedAt: row.issue_refused_at,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toEvent = (row: EventRow): OrderEventRecord => ({
  receivedSeq: Number(row.id),
  eventId: row.event_id,
  type: row.type,
  occurredAt: row.occurred_at,
  body: row.body,
  receivedAt: row.received_at,
  repeats: row.repeats,
  lastReceivedAt: row.last_received_at,
  refused: row.refused,
  lastRefusedAt: row.last_refused_at,
  lastRefusedBody: row.last_refused_body,
  seenAt: row.seen_at,
  applied: row.applied_seq === null ? null : { seq: row.applied_seq, at: row.applied_at!.toISOString(), effect: row.effect ?? '' },
});

/** The SQL of `orders`, `order_events` and `order_invoices`. */
export class OrdersRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Stores an event under its order (made on the first event). A repeated eventId with the same content is counted
   * as a repeat; with other content it is counted as refused (`reusedFrom`: the first event's type), never stored.
   */
  async receive(sellerId: string, channelId: string, orderNo: string, event: OrderEvent): Promise<{ order: OrderRecord; repeat: boolean; reusedFrom?: OrderEventType }> {
    return this.db.transaction(async (manager) => {
      const [order]: OrderRow[] = await manager.query(
        `INSERT INTO orders (seller_id, channel_id, order_no) VALUES ($1, $2, $3)
         ON CONFLICT (channel_id, order_no) DO UPDATE SET updated_at = now()
         RETURNING *`,
        [sellerId, channelId, orderNo],
      );
      // jsonb equality: the same content in any key order is the same event.
      const [stored]: { inserted: boolean; same: boolean; type: OrderEventType }[] = await manager.query(
        `INSERT INTO order_events (order_id, event_id, type, occurred_at, body) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (order_id, event_id) DO UPDATE SET
           repeats = order_events.repeats + (order_events.body = EXCLUDED.body)::int,
           last_received_at = CASE WHEN order_events.body = EXCLUDED.body THEN now() ELSE order_events.last_received_at END,
           refused = order_events.refused + (order_events.body <> EXCLUDED.body)::int,
           last_refused_at = CASE WHEN order_events.body <> EXCLUDED.body THEN now() ELSE order_events.last_refused_at END,
           last_refused_body = CASE WHEN order_events.body <> EXCLUDED.body THEN EXCLUDED.body ELSE order_events.last_refused_body END
         RETURNING (xmax = 0) AS inserted, order_events.body = $5::jsonb AS same, order_events.type`,
        [order.id, event.eventId, event.type, event.occurredAt, JSON.stringify(event)],
      );
      return { order: toOrder(order), repeat: !stored.inserted, reusedFrom: stored.same ? undefined : stored.type };
    });
  }

  async find(channelId: string, orderNo: string): Promise<OrderRecord | undefined> {
    const [row]: OrderRow[] = await this.db.query(`SELECT * FROM orders WHERE channel_id = $1 AND order_no = $2`, [channelId, orderNo]);
    return row && toOrder(row);
  }

  async events(orderId: string): Promise<OrderEventRecord[]> {
    const rows: EventRow[] = await this.db.query(`SELECT * FROM order_events WHERE order_id = $1 ORDER BY id`, [orderId]);
    return rows.map(toEvent);
  }

  async invoices(orderId: string): Promise<OrderInvoiceLink[]> {
    const rows: { invoice_id: string; invoice_number: string; content_event_id: string; created_at: Date }[] = await this.db.query(
      `SELECT invoice_id, invoice_number, content_event_id, created_at FROM order_invoices WHERE order_id = $1 ORDER BY created_at, invoice_id`,
      [orderId],
    );
    return rows.map((row) => ({ invoiceId: row.invoice_id, invoiceNumber: row.invoice_number, contentEventId: row.content_event_id, createdAt: row.created_at }));
  }

  /** Idempotent: an issue retried after a crash links the same invoice once. */
  async linkInvoice(orderId: string, invoice: { id: string; invoiceNumber: string }, contentEventId: string): Promise<void> {
    await this.db.query(
      `INSERT INTO order_invoices (order_id, invoice_id, invoice_number, content_event_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [orderId, invoice.id, invoice.invoiceNumber, contentEventId],
    );
  }

  /** Saves a run's progress in one transaction; an effect once recorded is never rewritten. */
  async save(orderId: string, snapshot: OrderSnapshot): Promise<void> {
    await this.db.transaction(async (manager) => {
      await manager.query(
        `UPDATE orders SET state = $2, waiting_for = $3, attention = $4, reissue = $5, closed = $6, issue_refused_at = $7, updated_at = now()
          WHERE id = $1`,
        [orderId, snapshot.state, snapshot.waitingFor, snapshot.attention, snapshot.reissue, snapshot.closed, snapshot.issueRefusedAt],
      );
      await manager.query(`UPDATE order_events SET seen_at = now() WHERE order_id = $1 AND event_id = ANY($2) AND seen_at IS NULL`, [orderId, snapshot.seen]);
      if (snapshot.applied.length === 0) return;
      await manager.query(
        `UPDATE order_events e SET applied_seq = a.seq, applied_at = a.at, effect = a.effect
           FROM unnest($2::text[], $3::int[], $4::timestamptz[], $5::text[]) AS a(event_id, seq, at, effect)
          WHERE e.order_id = $1 AND e.event_id = a.event_id AND e.applied_seq IS NULL`,
        [orderId, snapshot.applied.map((a) => a.eventId), snapshot.applied.map((a) => a.seq), snapshot.applied.map((a) => a.at), snapshot.applied.map((a) => a.effect)],
      );
    });
  }
}
