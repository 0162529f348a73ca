import { DataSource, EntityManager } from 'typeorm';

type Db = DataSource | EntityManager;

export type DeliveryTarget = 'email' | 'webhook';
export type DeliveryState = 'pending' | 'delivered' | 'failed';

export interface DeliveryRecord {
  id: string;
  batchId: string;
  target: DeliveryTarget;
  kind: string;
  alertCount: number;
  payload: DeliveryPayload;
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: Date;
  lastAttemptAt: Date | null;
  lastResult: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

/** What one batch says, whatever carries it: one alert, or a summary of a burst of one kind. */
export interface DeliveryPayload {
  kind: string;
  count: number;
  summary: boolean;
  alerts: { id: string; kind: string; severity: string; seller: string | null; subject: { type: string; id: string }; message: string; firstSeenAt: string; lastSeenAt: string }[];
}

interface DeliveryRow {
  id: string;
  batch_id: string;
  target: DeliveryTarget;
  kind: string;
  alert_count: number;
  payload: DeliveryPayload;
  state: DeliveryState;
  attempts: number;
  next_attempt_at: Date;
  last_attempt_at: Date | null;
  last_result: string | null;
  delivered_at: Date | null;
  created_at: Date;
}

const toDelivery = (r: DeliveryRow): DeliveryRecord => ({
  id: r.id, batchId: r.batch_id, target: r.target, kind: r.kind, alertCount: r.alert_count, payload: r.payload, state: r.state,
  attempts: r.attempts, nextAttemptAt: r.next_attempt_at, lastAttemptAt: r.last_attempt_at, lastResult: r.last_result,
  deliveredAt: r.delivered_at, createdAt: r.created_at,
});

/** The one owner of `alert_outbox` and `alert_deliveries`. */
export class AlertDeliveriesRepository {
  constructor(private readonly db: DataSource) {}

  async enqueue(manager: Db, alertId: string, kind: string, at: Date): Promise<void> {
    await manager.query(`INSERT INTO alert_outbox (alert_id, kind, queued_at) VALUES ($1, $2, $3)`, [alertId, kind, at]);
  }

  /** Kinds with alerts waiting, the oldest wait of each, and when a batch of that kind was last made. */
  async waitingKinds(): Promise<{ kind: string; oldest: Date; lastBatchAt: Date | null }[]> {
    return this.db.query(
      `SELECT o.kind, min(o.queued_at) AS oldest,
              (SELECT max(d.created_at) FROM alert_deliveries d WHERE d.kind = o.kind) AS "lastBatchAt"
         FROM alert_outbox o WHERE o.batch_id IS NULL GROUP BY o.kind`,
    );
  }

  /**
   * Takes every waiting alert of a kind into a batch (skipping rows another sender holds), with what each alert says
   * now; empty when another sender took them first.
   */
  async takeBatch(manager: EntityManager, kind: string, batchId: string): Promise<DeliveryPayload['alerts']> {
    return manager.query(
      `WITH taken AS (
         UPDATE alert_outbox SET batch_id = $2
          WHERE id IN (SELECT id FROM alert_outbox WHERE kind = $1 AND batch_id IS NULL ORDER BY id FOR UPDATE SKIP LOCKED)
          RETURNING alert_id
       )
       SELECT DISTINCT ON (a.id) a.id, a.kind, a.severity, s.ban AS seller, json_build_object('type', a.subject_type, 'id', a.subject_id) AS subject,
              a.message, a.first_seen_at AS "firstSeenAt", a.last_seen_at AS "lastSeenAt"
         FROM taken t JOIN alerts a ON a.id = t.alert_id LEFT JOIN sellers s ON s.id = a.seller_id
        ORDER BY a.id`,
      [kind, batchId],
    );
  }

  async insertDelivery(manager: EntityManager, delivery: { batchId: string; target: DeliveryTarget; payload: DeliveryPayload; at: Date }): Promise<void> {
    await manager.query(
      `INSERT INTO alert_deliveries (batch_id, target, kind, alert_count, payload, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $6)`,
      [delivery.batchId, delivery.target, delivery.payload.kind, delivery.payload.count, JSON.stringify(delivery.payload), delivery.at],
    );
  }

  /** Locks the deliveries due for an attempt; other senders skip them until this transaction ends. */
  async lockDue(manager: EntityManager, at: Date, limit: number): Promise<DeliveryRecord[]> {
    const rows: DeliveryRow[] = await manager.query(
      `SELECT * FROM alert_deliveries WHERE state = 'pending' AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [at, limit],
    );
    return rows.map(toDelivery);
  }

  async recordAttempt(manager: EntityManager, id: string, outcome: { state: DeliveryState; result: string; at: Date; nextAttemptAt: Date }): Promise<void> {
    await manager.query(
      `UPDATE alert_deliveries SET state = $2, attempts = attempts + 1, last_result = $3, last_attempt_at = $4, next_attempt_at = $5,
              delivered_at = CASE WHEN $2 = 'delivered' THEN $4 ELSE delivered_at END
        WHERE id = $1`,
      [id, outcome.state, outcome.result, outcome.at, outcome.nextAttemptAt],
    );
  }

  /** The newest delivery of each target: what the dashboard shows as "last delivery". */
  async latestPerTarget(): Promise<DeliveryRecord[]> {
    const rows: DeliveryRow[] = await this.db.query(
      `SELECT DISTINCT ON (target) * FROM alert_deliveries ORDER BY target, created_at DESC, id`,
    );
    return rows.map(toDelivery);
  }

  async list(limit: number): Promise<DeliveryRecord[]> {
    const rows: DeliveryRow[] = await this.db.query(`SELECT * FROM alert_deliveries ORDER BY created_at DESC, id LIMIT $1`, [limit]);
    return rows.map(toDelivery);
  }
}
