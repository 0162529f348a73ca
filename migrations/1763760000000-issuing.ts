import { MigrationInterface, QueryRunner } from 'typeorm';

export class Issuing1763760000000 implements MigrationInterface {
  name = 'Issuing1763760000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE order_imports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seller_id uuid NOT NULL REFERENCES sellers(id),
        channel_id uuid REFERENCES channels(id),
        file_name text,
        state text NOT NULL DEFAULT 'previewed' CHECK (state IN ('previewed', 'running', 'done')),
        rows_read integer NOT NULL,
        rows_importable integer NOT NULL,
        errors jsonb NOT NULL DEFAULT '[]',
        workflow_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        confirmed_at timestamptz,
        finished_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE order_import_orders (
        import_id uuid NOT NULL REFERENCES order_imports(id),
        ordinal integer NOT NULL,
        billing_no varchar(60) NOT NULL,
        rows integer[] NOT NULL,
        payload jsonb NOT NULL,
        state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'issued', 'started', 'failed')),
        invoice_number char(10),
        error jsonb,
        PRIMARY KEY (import_id, ordinal),
        UNIQUE (import_id, billing_no)
      )`);
    await q.query(`
      CREATE TABLE invoices (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seller_id uuid NOT NULL REFERENCES sellers(id),
        channel_id uuid REFERENCES channels(id),
        booklet_id uuid NOT NULL,
        seq smallint NOT NULL,
        period char(5) NOT NULL,
        invoice_number char(10) NOT NULL,
        billing_no varchar(60) NOT NULL,
        invoice_type char(2) NOT NULL CHECK (invoice_type IN ('07', '08')),
        tax_type char(1) NOT NULL CHECK (tax_type IN ('1', '2', '3', '9')),
        buyer_ban char(8),
        buyer_name text,
        buyer_email text,
        issued_at timestamptz NOT NULL,
        random_number char(4) NOT NULL CHECK (random_number ~ '^[0-9]{4}$'),
        sales_amount numeric(20, 0) NOT NULL CHECK (sales_amount >= 0),
        free_tax_sales_amount numeric(20, 0) NOT NULL CHECK (free_tax_sales_amount >= 0),
        zero_tax_sales_amount numeric(20, 0) NOT NULL CHECK (zero_tax_sales_amount >= 0),
        tax_amount numeric(20, 0) NOT NULL CHECK (tax_amount >= 0),
        total_amount numeric(20, 0) NOT NULL CHECK (total_amount >= 0),
        payload jsonb NOT NULL,
        payload_hash char(64) NOT NULL,
        status text NOT NULL DEFAULT 'issued' CHECK (status IN ('issued', 'uploading', 'accepted', 'rejected', 'voided', 'cancelled_blank')),
        upload_due_at timestamptz NOT NULL,
        legal_due_at timestamptz NOT NULL,
        warn_at timestamptz NOT NULL,
        deadline_state text NOT NULL DEFAULT 'on_time' CHECK (deadline_state IN ('on_time', 'due_soon', 'overdue', 'past_legal', 'done')),
        accepted_at timestamptz,
        last_error_code text,
        last_error_message text,
        import_id uuid,
        import_ordinal integer,
        created_at timestamptz NOT NULL DEFAULT now(),
        -- Each number is used by at most one invoice, and only a number the allocator handed out.
        UNIQUE (booklet_id, seq),
        FOREIGN KEY (booklet_id, seq) REFERENCES allocated_numbers(booklet_id, seq),
        UNIQUE (seller_id, period, invoice_number),
        FOREIGN KEY (import_id, import_ordinal) REFERENCES order_import_orders(import_id, ordinal),
        UNIQUE (import_id, import_ordinal),
        CHECK (upload_due_at <= legal_due_at AND warn_at <= upload_due_at)
      )`);
    // One live invoice per order: a voided or blank-cancelled one frees its BillingNo for a re-issue.
    await q.query(`
      CREATE UNIQUE INDEX invoices_live_billing_no ON invoices (seller_id, billing_no)
        WHERE status NOT IN ('voided', 'cancelled_blank')`);
    await q.query(`
      CREATE INDEX invoices_open_deadlines ON invoices (deadline_state, seller_id, upload_due_at)
        WHERE deadline_state <> 'done'`);
    await q.query(`
      CREATE TABLE invoice_events (
        id bigserial PRIMARY KEY,
        invoice_id uuid NOT NULL REFERENCES invoices(id),
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        kind text NOT NULL,
        detail jsonb NOT NULL DEFAULT '{}'
      )`);
    await q.query(`CREATE INDEX invoice_events_invoice ON invoice_events (invoice_id, id)`);
    await q.query(`
      CREATE TABLE invoice_notifications (
        invoice_id uuid PRIMARY KEY REFERENCES invoices(id),
        recipient text NOT NULL,
        message_id text,
        sent_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE turnkey_uploads (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        invoice_id uuid NOT NULL REFERENCES invoices(id),
        message_type varchar(10) NOT NULL,
        file_name text NOT NULL UNIQUE,
        invoice_identifier varchar(30) NOT NULL,
        delivered_at timestamptz NOT NULL DEFAULT now(),
        outcome text NOT NULL DEFAULT 'pending' CHECK (outcome IN ('pending', 'accepted', 'rejected')),
        error_code text,
        error_message text,
        outcome_at timestamptz
      )`);
    await q.query(`CREATE INDEX turnkey_uploads_invoice ON turnkey_uploads (invoice_id, delivered_at)`);
    // Turnkey's own result tables (its DBSchema, PostgreSQL flavour): real Turnkey writes them in its database; in
    // development and tests the platform simulator writes them here, and the gateway reads both the same way.
    await q.query(`
      CREATE TABLE turnkey_message_log (
        seqno varchar(8) NOT NULL,
        subseqno varchar(5) NOT NULL,
        uuid varchar(40),
        message_type varchar(10),
        category_type varchar(5),
        process_type varchar(10),
        from_party_id varchar(10),
        to_party_id varchar(10),
        message_dts varchar(17),
        character_count varchar(10),
        status varchar(5),
        in_out_bound varchar(1),
        from_routing_id varchar(39),
        to_routing_id varchar(39),
        invoice_identifier varchar(30),
        PRIMARY KEY (seqno, subseqno)
      )`);
    await q.query(`CREATE INDEX turnkey_message_log_identifier ON turnkey_message_log (invoice_identifier, message_dts)`);
    await q.query(`
      CREATE TABLE turnkey_sysevent_log (
        eventdts varchar(17) NOT NULL PRIMARY KEY,
        party_id varchar(10),
        seqno varchar(8),
        subseqno varchar(5),
        errorcode varchar(4),
        uuid varchar(40),
        information1 varchar(100),
        information2 varchar(100),
        information3 varchar(100),
        message1 varchar(100),
        message2 varchar(100),
        message3 varchar(100),
        message4 varchar(100),
        message5 varchar(100),
        message6 varchar(100)
      )`);
    await q.query(`CREATE INDEX turnkey_sysevent_log_message ON turnkey_sysevent_log (seqno, subseqno)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'turnkey_sysevent_log', 'turnkey_message_log', 'turnkey_uploads', 'invoice_notifications', 'invoice_events',
      'invoices', 'order_import_orders', 'order_imports',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
