import { MigrationInterface, QueryRunner } from 'typeorm';

export class CancelledBlankIndex1763795000000 implements MigrationInterface {
  name = 'CancelledBlankIndex1763795000000';

  async up(q: QueryRunner): Promise<void> {
    // The reconciliation reads a booklet's numbers cancelled as blank from the index alone, never touching the wide
    // invoice rows (its issued numbers come from the (booklet_id, seq) key the same way).
    await q.query(`CREATE INDEX invoices_cancelled_blank ON invoices (booklet_id, seq) WHERE status = 'cancelled_blank'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX invoices_cancelled_blank`);
  }
}
