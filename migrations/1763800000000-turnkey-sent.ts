import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Turnkey's G is "sent", not accepted: invoices and their follow-up messages get a `sent` status and the instant it
 * was seen, messages an accepted-at of their own, and uploads the instant their message reached G.
 */
export class TurnkeySent1763800000000 implements MigrationInterface {
  name = 'TurnkeySent1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE invoices DROP CONSTRAINT invoices_status_check`);
    await q.query(`
      ALTER TABLE invoices
        ADD CONSTRAINT invoices_status_check CHECK (status IN ('issued', 'uploading', 'sent', 'accepted', 'rejected', 'voided', 'cancelled_blank')),
        ADD COLUMN sent_at timestamptz`);
    await q.query(`ALTER TABLE invoice_messages DROP CONSTRAINT invoice_messages_status_check`);
    await q.query(`
      ALTER TABLE invoice_messages
        ADD CONSTRAINT invoice_messages_status_check CHECK (status IN ('pending', 'uploading', 'sent', 'accepted', 'rejected')),
        ADD COLUMN sent_at timestamptz,
        ADD COLUMN accepted_at timestamptz`);
    await q.query(`ALTER TABLE turnkey_uploads ADD COLUMN sent_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE turnkey_uploads DROP COLUMN sent_at`);
    // A sent message goes back to what the older schema called it: still uploading.
    await q.query(`UPDATE invoice_messages SET status = 'uploading' WHERE status = 'sent'`);
    await q.query(`ALTER TABLE invoice_messages DROP CONSTRAINT invoice_messages_status_check`);
    await q.query(`
      ALTER TABLE invoice_messages
        ADD CONSTRAINT invoice_messages_status_check CHECK (status IN ('pending', 'uploading', 'accepted', 'rejected')),
        DROP COLUMN accepted_at, DROP COLUMN sent_at`);
    await q.query(`UPDATE invoices SET status = 'uploading' WHERE status = 'sent'`);
    await q.query(`ALTER TABLE invoices DROP CONSTRAINT invoices_status_check`);
    await q.query(`
      ALTER TABLE invoices
        ADD CONSTRAINT invoices_status_check CHECK (status IN ('issued', 'uploading', 'accepted', 'rejected', 'voided', 'cancelled_blank')),
        DROP COLUMN sent_at`);
  }
}
