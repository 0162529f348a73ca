import { MigrationInterface, QueryRunner } from 'typeorm';

export class ReconciliationAlerts1763790000000 implements MigrationInterface {
  name = 'ReconciliationAlerts1763790000000';

  async up(q: QueryRunner): Promise<void> {
    // Staff roles: finance (tracks, imports, reconciliation) and viewer (read-only), both bound to no seller.
    await q.query(`ALTER TABLE api_keys DROP CONSTRAINT api_keys_role_check, DROP CONSTRAINT api_keys_check`);
    await q.query(`
      ALTER TABLE api_keys
        ADD CONSTRAINT api_keys_role_check CHECK (role IN ('admin', 'finance', 'viewer', 'channel')),
        ADD CONSTRAINT api_keys_check CHECK ((role IN ('admin', 'finance', 'viewer') AND seller_id IS NULL AND channel_id IS NULL)
            OR (role = 'channel' AND seller_id IS NOT NULL AND channel_id IS NOT NULL))`);
    await q.query(`
      CREATE TABLE alerts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind ~ '^[a-z_]+\\.[a-z_]+$'),
        cause_key text NOT NULL CHECK (btrim(cause_key) <> ''),
        severity text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
        seller_id uuid REFERENCES sellers(id),
        channel_id uuid REFERENCES channels(id),
        subject_type text NOT NULL CHECK (subject_type IN ('invoice', 'message', 'import', 'reconciliation', 'booklet', 'channel', 'order')),
        subject_id text NOT NULL,
        message text NOT NULL,
        detail jsonb NOT NULL DEFAULT '{}',
        state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'acknowledged', 'resolved')),
        occurrences integer NOT NULL DEFAULT 1,
        first_seen_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        acknowledged_at timestamptz,
        acknowledged_by text,
        acknowledged_key_id uuid,
        resolved_at timestamptz,
        -- Raised once per cause: a repeat updates the one row.
        UNIQUE (kind, cause_key),
        CHECK ((state = 'acknowledged') = (acknowledged_at IS NOT NULL AND acknowledged_by IS NOT NULL) OR state = 'resolved'),
        CHECK ((state = 'resolved') = (resolved_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX alerts_by_state ON alerts (state, last_seen_at DESC, id)`);
    await q.query(`CREATE INDEX alerts_by_seller ON alerts (seller_id, state, last_seen_at DESC)`);
    await q.query(`CREATE INDEX alerts_by_subject ON alerts (subject_type, subject_id)`);
    await q.query(`
      CREATE TABLE reconciliations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seller_id uuid NOT NULL REFERENCES sellers(id),
        period char(5) NOT NULL CHECK (period ~ '^[0-9]{3}(02|04|06|08|10|12)$'),
        mode text NOT NULL CHECK (mode IN ('report', 'check')),
        workflow_id text NOT NULL UNIQUE,
        state text NOT NULL DEFAULT 'computing'
          CHECK (state IN ('computing', 'draft', 'refused', 'held', 'uploading', 'sent', 'accepted', 'rejected', 'checked')),
        started_by text NOT NULL,
        upload_at timestamptz,
        draft_version integer NOT NULL DEFAULT 0,
        totals jsonb,
        ranges jsonb NOT NULL DEFAULT '[]',
        violations jsonb NOT NULL DEFAULT '[]',
        held_by text,
        approved_by text,
        -- The ranges as uploaded: what a later invoice, void or rerun is checked against.
        reported_ranges jsonb,
        reported_at timestamptz,
        accepted_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (seller_id, period, mode)
      )`);
    await q.query(`
      CREATE TABLE reconciliation_reports (
        reconciliation_id uuid NOT NULL REFERENCES reconciliations(id),
        invoice_type char(2) NOT NULL CHECK (invoice_type IN ('07', '08')),
        track char(2) NOT NULL CHECK (track ~ '^[A-Z]{2}$'),
        draft_version integer NOT NULL,
        ranges integer NOT NULL,
        xml text NOT NULL,
        file_name text,
        state text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'delivered', 'accepted', 'rejected')),
        delivered_at timestamptz,
        outcome_at timestamptz,
        error_code text,
        error_message text,
        PRIMARY KEY (reconciliation_id, invoice_type, track)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE reconciliation_reports`);
    await q.query(`DROP TABLE reconciliations`);
    await q.query(`DROP TABLE alerts`);
    await q.query(`DELETE FROM api_keys WHERE role IN ('finance', 'viewer')`);
    await q.query(`ALTER TABLE api_keys DROP CONSTRAINT api_keys_role_check, DROP CONSTRAINT api_keys_check`);
    await q.query(`
      ALTER TABLE api_keys
        ADD CONSTRAINT api_keys_role_check CHECK (role IN ('admin', 'channel')),
        ADD CONSTRAINT api_keys_check CHECK ((role = 'admin' AND seller_id IS NULL AND channel_id IS NULL)
            OR (role = 'channel' AND seller_id IS NOT NULL AND channel_id IS NOT NULL))`);
  }
}
