import { MigrationInterface, QueryRunner } from 'typeorm';
import { candidates } from './1763890000000-reported-booklets';

/**
 * Every allocation moves a booklet's `next_seq`, and the candidates' partial indexes named `next_seq` in their
 * condition, so no such UPDATE could be HOT: each wrote a new entry into every index of `booklets` (four) and its WAL.
 * The indexes now name `exhausted`, a stored column that turns true only with the booklet's fiftieth number: the other
 * 49 updates change no indexed value and stay on their page (fillfactor leaves them room). `booklets_allocatable`
 * served only the `next_seq < 50` reads this replaces and goes.
 */
export class BookletsHotUpdates1763950000000 implements MigrationInterface {
  name = 'BookletsHotUpdates1763950000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE booklets SET (fillfactor = 80)`);
    // Adding a stored column rewrites the table, which packs its pages to the new fillfactor.
    await q.query(`ALTER TABLE booklets ADD COLUMN exhausted boolean GENERATED ALWAYS AS (next_seq >= 50) STORED`);
    await q.query(`DROP INDEX booklets_allocatable`);
    await q.query(`DROP INDEX booklets_candidates`);
    await q.query(
      `CREATE INDEX booklets_candidates ON booklets (seller_id, period, invoice_type, (channel_id IS NULL), track, start_no)
        WHERE NOT exhausted AND third_party IS NULL AND reported_at IS NULL`,
    );
    await q.query(candidates('AND reported_at IS NULL', 'NOT exhausted'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(candidates('AND reported_at IS NULL'));
    await q.query(`DROP INDEX booklets_candidates`);
    await q.query(
      `CREATE INDEX booklets_candidates ON booklets (seller_id, period, invoice_type, (channel_id IS NULL), track, start_no)
        WHERE next_seq < 50 AND third_party IS NULL AND reported_at IS NULL`,
    );
    await q.query(`CREATE INDEX booklets_allocatable ON booklets (seller_id, period, invoice_type, track, start_no) WHERE next_seq < 50 AND third_party IS NULL`);
    await q.query(`ALTER TABLE booklets DROP COLUMN exhausted`);
    await q.query(`ALTER TABLE booklets RESET (fillfactor)`);
  }
}
