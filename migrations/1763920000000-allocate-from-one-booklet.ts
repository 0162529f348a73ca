import { MigrationInterface, QueryRunner } from 'typeorm';
import { parallelAllocation } from './1763870000000-parallel-booklets';

/**
 * With parallel booklets, a request that one booklet can hold whole (every `POST /invoices`: one number) takes it
 * from the first such booklet no other transaction holds, without the general loop's subtransaction: SKIP LOCKED never
 * waits, so nothing can deadlock and there is nothing to roll back and retry. A request no free booklet holds whole
 * goes on to the general loop, holding no booklet. Numbers are still each booklet's next ones under its row lock,
 * and the ledger's deferred check is unchanged.
 */
export class AllocateFromOneBooklet1763920000000 implements MigrationInterface {
  name = 'AllocateFromOneBooklet1763920000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      parallelAllocation(`
        SELECT k.id, k.track, k.start_no, k.next_seq INTO b
          FROM booklets k
         WHERE k.id IN (SELECT c.id FROM invoice_number_candidates(p_seller, p_period, p_type, p_channel) c LIMIT v_parallel)
           AND k.next_seq <= 50 - p_count
         ORDER BY k.channel_id IS NULL, k.track, k.start_no
         LIMIT 1
           FOR UPDATE SKIP LOCKED;
        IF FOUND THEN
          UPDATE booklets k SET next_seq = k.next_seq + p_count WHERE k.id = b.id;
          RETURN QUERY
            WITH ledger AS (
              INSERT INTO allocated_numbers (booklet_id, seq, seller_id, period, invoice_number, channel_id, allocated_at)
              SELECT b.id, s::smallint, p_seller, p_period, b.track || lpad((b.start_no + s)::text, 8, '0'), p_channel, clock_timestamp()
                FROM generate_series(b.next_seq::int, b.next_seq + p_count - 1) s
              RETURNING allocated_numbers.booklet_id, allocated_numbers.seq, allocated_numbers.invoice_number::text
            )
            SELECT * FROM ledger l ORDER BY l.seq;
          RETURN;
        END IF;
`),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(parallelAllocation());
  }
}
