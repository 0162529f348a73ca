import { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1763750000000 implements MigrationInterface {
  name = 'Foundation1763750000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
    await q.query(`
      CREATE TABLE sellers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ban char(8) NOT NULL UNIQUE CHECK (ban ~ '^[0-9]{8}$'),
        name text NOT NULL CHECK (btrim(name) <> ''),
        address text,
        blank_reporting boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE channels (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seller_id uuid NOT NULL REFERENCES sellers(id),
        code varchar(32) NOT NULL CHECK (code ~ '^[A-Za-z0-9_-]+$'),
        kind text NOT NULL CHECK (kind IN ('web', 'pos', 'marketplace', 'third_party')),
        name text NOT NULL CHECK (btrim(name) <> ''),
        issue_triggers text[] NOT NULL
          CHECK (cardinality(issue_triggers) > 0 AND issue_triggers <@ ARRAY['payment', 'shipment', 'delivery']),
        self_managed_logistics boolean NOT NULL DEFAULT false,
        credentials_sealed bytea,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (seller_id, code),
        UNIQUE (seller_id, id)
      )`);
    await q.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key_hash char(64) NOT NULL UNIQUE,
        key_prefix varchar(16) NOT NULL,
        role text NOT NULL CHECK (role IN ('admin', 'channel')),
        seller_id uuid REFERENCES sellers(id),
        channel_id uuid,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        FOREIGN KEY (seller_id, channel_id) REFERENCES channels(seller_id, id),
        CHECK ((role = 'admin' AND seller_id IS NULL AND channel_id IS NULL)
            OR (role = 'channel' AND seller_id IS NOT NULL AND channel_id IS NOT NULL))
      )`);
    await q.query(`
      CREATE TABLE track_ranges (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seller_id uuid NOT NULL REFERENCES sellers(id),
        period char(5) NOT NULL CHECK (period ~ '^[0-9]{3}(02|04|06|08|10|12)$'),
        invoice_type char(2) NOT NULL CHECK (invoice_type IN ('07', '08')),
        track char(2) NOT NULL CHECK (track ~ '^[A-Z]{2}$'),
        start_no integer NOT NULL,
        end_no integer NOT NULL,
        source_file text,
        imported_at timestamptz NOT NULL DEFAULT now(),
        CHECK (start_no >= 0 AND end_no <= 99999999 AND start_no % 50 = 0 AND end_no % 50 = 49 AND end_no > start_no),
        CONSTRAINT track_ranges_no_overlap EXCLUDE USING gist
          (seller_id WITH =, period WITH =, track WITH =, int4range(start_no, end_no, '[]') WITH &&)
      )`);
    await q.query(`
      CREATE TABLE booklets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        track_range_id uuid NOT NULL REFERENCES track_ranges(id),
        seller_id uuid NOT NULL REFERENCES sellers(id),
        period char(5) NOT NULL,
        invoice_type char(2) NOT NULL,
        track char(2) NOT NULL,
        start_no integer NOT NULL CHECK (start_no % 50 = 0),
        channel_id uuid,
        third_party text CHECK (btrim(third_party) <> ''),
        blank_start integer,
        next_seq smallint NOT NULL DEFAULT 0 CHECK (next_seq BETWEEN 0 AND 50),
        UNIQUE (seller_id, period, track, start_no),
        FOREIGN KEY (seller_id, channel_id) REFERENCES channels(seller_id, id),
        CHECK (channel_id IS NULL OR third_party IS NULL),
        CHECK (third_party IS NULL OR next_seq = 0),
        CHECK (blank_start IS NULL OR (third_party IS NOT NULL AND blank_start BETWEEN start_no AND start_no + 49))
      )`);
    await q.query(`
      CREATE INDEX booklets_allocatable ON booklets (seller_id, period, invoice_type, track, start_no)
        WHERE next_seq < 50 AND third_party IS NULL`);
    await q.query(`
      CREATE TABLE allocated_numbers (
        booklet_id uuid NOT NULL REFERENCES booklets(id),
        seq smallint NOT NULL CHECK (seq BETWEEN 0 AND 49),
        seller_id uuid NOT NULL REFERENCES sellers(id),
        period char(5) NOT NULL,
        invoice_number char(10) NOT NULL CHECK (invoice_number ~ '^[A-Z]{2}[0-9]{8}$'),
        channel_id uuid REFERENCES channels(id),
        allocated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (booklet_id, seq),
        UNIQUE (seller_id, period, invoice_number)
      )`);
    // A booklet's ledger must be exactly its first next_seq numbers: no number skipped, none handed out twice.
    // Checked at commit, after the allocator has both moved next_seq and written the ledger rows.
    await q.query(`
      CREATE FUNCTION check_booklet_ledger() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        target uuid;
        expected smallint;
        actual_count integer;
        actual_max integer;
      BEGIN
        IF TG_TABLE_NAME = 'booklets' THEN
          target := NEW.id;
        ELSIF TG_OP = 'DELETE' THEN
          target := OLD.booklet_id;
        ELSE
          target := NEW.booklet_id;
        END IF;
        SELECT next_seq INTO expected FROM booklets WHERE id = target;
        SELECT count(*), COALESCE(max(seq), -1) INTO actual_count, actual_max FROM allocated_numbers WHERE booklet_id = target;
        IF actual_count <> expected OR actual_max <> expected - 1 THEN
          RAISE EXCEPTION 'booklet % ledger holds % numbers (highest seq %), expected the first %', target, actual_count, actual_max, expected
            USING ERRCODE = 'check_violation', CONSTRAINT = 'booklet_ledger_consecutive';
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE CONSTRAINT TRIGGER booklet_ledger_on_booklet AFTER UPDATE OF next_seq ON booklets
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION check_booklet_ledger()`);
    await q.query(`
      CREATE CONSTRAINT TRIGGER booklet_ledger_on_number AFTER INSERT OR UPDATE OR DELETE ON allocated_numbers
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION check_booklet_ledger()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE allocated_numbers`);
    await q.query(`DROP TABLE booklets`);
    await q.query(`DROP FUNCTION check_booklet_ledger()`);
    await q.query(`DROP TABLE track_ranges`);
    await q.query(`DROP TABLE api_keys`);
    await q.query(`DROP TABLE channels`);
    await q.query(`DROP TABLE sellers`);
  }
}
