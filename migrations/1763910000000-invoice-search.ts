import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The invoice search pages newest first and oldest first by (issued_at, id): an index in exactly that order serves
 * both directions (a backward scan for oldest first) with no sort above it, and its row comparison for the cursor
 * is one index condition. Invoices with a live allowance are found from the allowances, which are few.
 */
export class InvoiceSearch1763910000000 implements MigrationInterface {
  name = 'InvoiceSearch1763910000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX invoices_seller_issued`);
    await q.query(`CREATE INDEX invoices_seller_issued ON invoices (seller_id, issued_at DESC, id DESC)`);
    await q.query(`CREATE INDEX allowances_seller_live ON allowances (seller_id, invoice_id) WHERE status = 'live'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX allowances_seller_live`);
    await q.query(`DROP INDEX invoices_seller_issued`);
    await q.query(`CREATE INDEX invoices_seller_issued ON invoices (seller_id, issued_at DESC, id)`);
  }
}
