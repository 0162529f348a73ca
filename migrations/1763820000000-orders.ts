import { MigrationInterface, QueryRunner } from 'typeorm';

export class Orders1763820000000 implements MigrationInterface {
  name = 'Orders1763820000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE orders (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seller_id uuid NOT NULL REFERENCES sellers(id),
        channel_id uuid NOT NULL REFERENCES channels(id),
        order_no varchar(60) NOT NULL,
        state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'issued', 'attention', 'cancelled', 'voided')),
        waiting_for text[] NOT NULL DEFAULT '{}',
        attention text,
        reissue boolean NOT NULL DEFAULT false,
        closed text CHECK (closed IN ('cancelled', 'voided')),
        issue_refused_at integer,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (channel_id, order_no)
      )`);
    await q.query(`CREATE INDEX orders_seller ON orders (seller_id, order_no)`);
    // Every event once per eventId, in the order received (id); a repeat is counted, its body ignored.
    await q.query(`
      CREATE TABLE order_events (
        id bigserial PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES orders(id),
        event_id varchar(100) NOT NULL,
        type text NOT NULL CHECK (type IN ('created', 'updated', 'paid', 'shipped', 'delivered', 'cancelled', 'returned')),
        occurred_at timestamptz NOT NULL,
        body jsonb NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        repeats integer NOT NULL DEFAULT 0,
        last_received_at timestamptz,
        seen_at timestamptz,
        applied_seq integer,
        applied_at timestamptz,
        effect text,
        UNIQUE (order_id, event_id),
        CHECK ((applied_seq IS NULL) = (applied_at IS NULL))
      )`);
    await q.query(`
      CREATE TABLE order_invoices (
        order_id uuid NOT NULL REFERENCES orders(id),
        invoice_id uuid NOT NULL REFERENCES invoices(id) UNIQUE,
        invoice_number varchar(10) NOT NULL,
        content_event_id varchar(100) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (order_id, invoice_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE order_invoices`);
    await q.query(`DROP TABLE order_events`);
    await q.query(`DROP TABLE orders`);
  }
}
