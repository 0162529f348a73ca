import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alert delivery: every alert opened is queued in the same transaction that raised it (an outbox, so a rolled-back
 * raise sends nothing and a crash loses nothing); a sender batches the queue by kind and delivers each batch by
 * e-mail and webhook, retrying with backoff and keeping the last outcome.
 */
export class AlertDelivery1763840000000 implements MigrationInterface {
  name = 'AlertDelivery1763840000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE alert_outbox (
        id bigserial PRIMARY KEY,
        alert_id uuid NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
        kind text NOT NULL,
        queued_at timestamptz NOT NULL,
        batch_id uuid
      )`);
    await q.query(`CREATE INDEX alert_outbox_waiting ON alert_outbox (kind, queued_at) WHERE batch_id IS NULL`);
    await q.query(`
      CREATE TABLE alert_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        batch_id uuid NOT NULL,
        target text NOT NULL CHECK (target IN ('email', 'webhook')),
        kind text NOT NULL,
        alert_count integer NOT NULL CHECK (alert_count > 0),
        payload jsonb NOT NULL,
        state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        last_attempt_at timestamptz,
        last_result text,
        delivered_at timestamptz,
        created_at timestamptz NOT NULL,
        UNIQUE (batch_id, target)
      )`);
    await q.query(`CREATE INDEX alert_deliveries_due ON alert_deliveries (next_attempt_at) WHERE state = 'pending'`);
    await q.query(`CREATE INDEX alert_deliveries_recent ON alert_deliveries (target, created_at DESC)`);
    await q.query(`CREATE INDEX alert_deliveries_kind_recent ON alert_deliveries (kind, created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE alert_deliveries`);
    await q.query(`DROP TABLE alert_outbox`);
  }
}
