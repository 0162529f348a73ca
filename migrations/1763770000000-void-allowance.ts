import { MigrationInterface, QueryRunner } from 'typeorm';

export class VoidAllowance1763770000000 implements MigrationInterface {
  name = 'VoidAllowance1763770000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`
      ALTER TABLE invoices
        ADD COLUMN void_reason text,
        ADD COLUMN void_approval_number text,
        ADD COLUMN voided_at timestamptz,
        ADD COLUMN void_request_key text,
        ADD CONSTRAINT invoices_void_complete CHECK ((status IN ('voided', 'cancelled_blank')) = (voided_at IS NOT NULL AND void_reason IS NOT NULL))`);
    await q.query(`CREATE UNIQUE INDEX invoices_void_request ON invoices (seller_id, void_request_key) WHERE void_request_key IS NOT NULL`);
    // Search (Einv120): every filter leads with the seller, newest first.
    await q.query(`CREATE INDEX invoices_seller_issued ON invoices (seller_id, issued_at DESC, id)`);
    await q.query(`CREATE INDEX invoices_seller_number ON invoices (seller_id, invoice_number)`);
    await q.query(`CREATE INDEX invoices_seller_billing_no ON invoices (seller_id, billing_no)`);
    await q.query(`CREATE INDEX invoices_seller_buyer_ban ON invoices (seller_id, buyer_ban) WHERE buyer_ban IS NOT NULL`);
    await q.query(`CREATE INDEX invoices_buyer_name_trgm ON invoices USING gin (buyer_name gin_trgm_ops)`);
    // The cross-seller deadline listing (dashboard): one state, nearest due first.
    await q.query(`CREATE INDEX invoices_open_deadlines_by_due ON invoices (deadline_state, upload_due_at) WHERE deadline_state <> 'done'`);
    await q.query(`CREATE SEQUENCE allowance_number_seq`);
    await q.query(`
      CREATE TABLE allowances (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seller_id uuid NOT NULL REFERENCES sellers(id),
        invoice_id uuid NOT NULL REFERENCES invoices(id),
        allowance_number varchar(16) NOT NULL,
        request_key text NOT NULL,
        allowance_date timestamptz NOT NULL,
        reason text,
        items jsonb NOT NULL,
        taxable_amount numeric(20, 0) NOT NULL CHECK (taxable_amount >= 0),
        zero_tax_amount numeric(20, 0) NOT NULL CHECK (zero_tax_amount >= 0),
        free_tax_amount numeric(20, 0) NOT NULL CHECK (free_tax_amount >= 0),
        tax_amount numeric(20, 0) NOT NULL CHECK (tax_amount >= 0),
        status text NOT NULL DEFAULT 'live' CHECK (status IN ('live', 'voided')),
        void_reason text,
        voided_at timestamptz,
        void_request_key text,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (seller_id, allowance_number),
        UNIQUE (seller_id, request_key),
        CHECK ((status = 'voided') = (voided_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX allowances_invoice ON allowances (invoice_id)`);
    await q.query(`CREATE UNIQUE INDEX allowances_void_request ON allowances (seller_id, void_request_key) WHERE void_request_key IS NOT NULL`);
    // The messages after F0401 (void, allowance, allowance void): each has its own upload and its own deadline.
    await q.query(`
      CREATE TABLE invoice_messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        invoice_id uuid NOT NULL REFERENCES invoices(id),
        allowance_id uuid REFERENCES allowances(id),
        message_type varchar(10) NOT NULL CHECK (message_type IN ('F0501', 'G0401', 'G0501')),
        occurred_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'uploading', 'accepted', 'rejected')),
        warn_at timestamptz NOT NULL,
        due_at timestamptz NOT NULL,
        legal_due_at timestamptz NOT NULL,
        deadline_state text NOT NULL DEFAULT 'on_time' CHECK (deadline_state IN ('on_time', 'due_soon', 'overdue', 'past_legal', 'done')),
        last_error_code text,
        last_error_message text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((message_type = 'F0501') = (allowance_id IS NULL))
      )`);
    await q.query(`CREATE INDEX invoice_messages_invoice ON invoice_messages (invoice_id, created_at)`);
    await q.query(`CREATE INDEX invoice_messages_allowance ON invoice_messages (allowance_id) WHERE allowance_id IS NOT NULL`);
    await q.query(`CREATE INDEX invoice_messages_open_deadlines ON invoice_messages (deadline_state, due_at) WHERE deadline_state <> 'done'`);
    await q.query(`ALTER TABLE turnkey_uploads ADD COLUMN message_id uuid REFERENCES invoice_messages(id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE turnkey_uploads DROP COLUMN message_id`);
    await q.query(`DROP TABLE invoice_messages`);
    await q.query(`DROP TABLE allowances`);
    await q.query(`DROP SEQUENCE allowance_number_seq`);
    for (const index of ['invoices_open_deadlines_by_due', 'invoices_buyer_name_trgm', 'invoices_seller_buyer_ban', 'invoices_seller_billing_no', 'invoices_seller_number', 'invoices_seller_issued', 'invoices_void_request']) {
      await q.query(`DROP INDEX ${index}`);
    }
    await q.query(`
      ALTER TABLE invoices DROP CONSTRAINT invoices_void_complete, DROP COLUMN void_request_key, DROP COLUMN voided_at,
        DROP COLUMN void_approval_number, DROP COLUMN void_reason`);
  }
}
