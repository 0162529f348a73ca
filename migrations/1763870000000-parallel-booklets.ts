import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Parallel booklets: the MOF requires numbers in order within a booklet, not across booklets (several registers each
 * use their own booklet at once). A channel (`parallel_booklets`) or a seller's unassigned pool
 * (`pool_parallel_booklets`) may let up to N allocations run at once, each on its own booklet among the first N
 * candidates, under that booklet's row lock. At 1 (the default) allocation is as before: one at a time per seller and
 * period under the advisory lock. The ledger and its deferred trigger are unchanged either way, so a skipped or
 * repeated number is still refused at commit.
 */
export class ParallelBooklets1763870000000 implements MigrationInterface {
  name = 'ParallelBooklets1763870000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE channels ADD COLUMN parallel_booklets smallint NOT NULL DEFAULT 1 CHECK (parallel_booklets BETWEEN 1 AND 20)`);
    await q.query(`ALTER TABLE sellers ADD COLUMN pool_parallel_booklets smallint NOT NULL DEFAULT 1 CHECK (pool_parallel_booklets BETWEEN 1 AND 20)`);
    // The serial path is the function as it was (NumberCandidates1763860000000), renamed. In the parallel one a booklet
    // is taken only under its row lock (SKIP LOCKED over the first N candidates; when all N are held, it waits for the
    // first, holding none), and its numbers are its next ones; a request that runs out returns fewer rows than asked,
    // and the caller (NumberAllocator) refuses it and rolls back what was taken.
    await q.query(`ALTER FUNCTION allocate_invoice_numbers(uuid, char, char, uuid, integer) RENAME TO allocate_invoice_numbers_serially`);
    await q.query(parallelAllocation());
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION allocate_invoice_numbers(uuid, char, char, uuid, integer)`);
    await q.query(`ALTER FUNCTION allocate_invoice_numbers_serially(uuid, char, char, uuid, integer) RENAME TO allocate_invoice_numbers`);
    await q.query(`ALTER TABLE sellers DROP COLUMN pool_parallel_booklets`);
    await q.query(`ALTER TABLE channels DROP COLUMN parallel_booklets`);
  }
}

/**
 * The parallel allocation function; `firstTry` is plpgsql run after the serial case is handed on and before the
 * general loop (empty here; AllocateFromOneBooklet1763920000000 adds its one-booklet path).
 */
export function parallelAllocation(firstTry = ''): string {
  return `
      CREATE OR REPLACE FUNCTION allocate_invoice_numbers(p_seller uuid, p_period char(5), p_type char(2), p_channel uuid, p_count integer)
        RETURNS TABLE (booklet_id uuid, seq smallint, invoice_number text)
        LANGUAGE plpgsql VOLATILE AS $$
      #variable_conflict use_column
      DECLARE
        v_parallel integer;
        v_left integer;
        v_take integer;
        v_booklets uuid[];
        v_seqs smallint[];
        v_numbers text[];
        b record;
      BEGIN
        SELECT CASE WHEN p_channel IS NULL THEN s.pool_parallel_booklets ELSE c.parallel_booklets END INTO v_parallel
          FROM sellers s LEFT JOIN channels c ON c.id = p_channel WHERE s.id = p_seller;
        IF coalesce(v_parallel, 1) <= 1 THEN
          RETURN QUERY SELECT * FROM allocate_invoice_numbers_serially(p_seller, p_period, p_type, p_channel, p_count);
          RETURN;
        END IF;
${firstTry}
        -- Each attempt is a subtransaction: an attempt that would wait while holding a booklet it took (or that the
        -- deadlock detector picks) is rolled back, which releases its row locks, and starts again holding none.
        LOOP
          BEGIN
            v_left := p_count;
            v_booklets := '{}';
            v_seqs := '{}';
            v_numbers := '{}';
            WHILE v_left > 0 LOOP
              SELECT k.id, k.track, k.start_no, k.next_seq INTO b
                FROM booklets k
               WHERE k.id IN (SELECT c.id FROM invoice_number_candidates(p_seller, p_period, p_type, p_channel) c LIMIT v_parallel)
                 AND k.next_seq < 50
               ORDER BY k.channel_id IS NULL, k.track, k.start_no
               LIMIT 1
                 FOR UPDATE SKIP LOCKED;
              IF NOT FOUND THEN
                IF v_left < p_count THEN
                  RAISE EXCEPTION 'allocation would wait holding a booklet' USING ERRCODE = 'EINV1';
                END IF;
                SELECT k.id, k.track, k.start_no, k.next_seq INTO b
                  FROM booklets k
                 WHERE k.id = (SELECT c.id FROM invoice_number_candidates(p_seller, p_period, p_type, p_channel) c LIMIT 1)
                   FOR UPDATE;
                IF NOT FOUND THEN
                  RETURN;
                END IF;
                CONTINUE WHEN b.next_seq >= 50;
              END IF;
              v_take := least(50 - b.next_seq, v_left);
              UPDATE booklets k SET next_seq = k.next_seq + v_take WHERE k.id = b.id;
              WITH ledger AS (
                INSERT INTO allocated_numbers (booklet_id, seq, seller_id, period, invoice_number, channel_id, allocated_at)
                SELECT b.id, s::smallint, p_seller, p_period, b.track || lpad((b.start_no + s)::text, 8, '0'), p_channel, clock_timestamp()
                  FROM generate_series(b.next_seq::int, b.next_seq + v_take - 1) s
                RETURNING allocated_numbers.seq, allocated_numbers.invoice_number
              )
              SELECT v_booklets || array_agg(b.id ORDER BY l.seq), v_seqs || array_agg(l.seq ORDER BY l.seq), v_numbers || array_agg(l.invoice_number::text ORDER BY l.seq)
                INTO v_booklets, v_seqs, v_numbers
                FROM ledger l;
              v_left := v_left - v_take;
            END LOOP;
            EXIT;
          EXCEPTION WHEN SQLSTATE 'EINV1' OR deadlock_detected THEN
            NULL;
          END;
        END LOOP;
        RETURN QUERY SELECT * FROM unnest(v_booklets, v_seqs, v_numbers);
      END $$`;
}
