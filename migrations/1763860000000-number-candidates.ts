import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which booklets can give a number is written once: `invoice_number_candidates`, an inlinable SQL function that the
 * allocator takes numbers from and that the remaining-numbers count (low stock, "not enough numbers") sums over.
 */
export class NumberCandidates1763860000000 implements MigrationInterface {
  name = 'NumberCandidates1763860000000';

  async up(q: QueryRunner): Promise<void> {
    // The channel's booklets first, then the unassigned pool, each in track and number order.
    await q.query(`
      CREATE FUNCTION invoice_number_candidates(p_seller uuid, p_period char(5), p_type char(2), p_channel uuid)
        RETURNS TABLE (id uuid, track char(2), start_no integer, next_seq smallint, channel_id uuid)
        LANGUAGE sql STABLE AS $$
          SELECT id, track, start_no, next_seq, channel_id
            FROM booklets
           WHERE seller_id = p_seller AND period = p_period AND invoice_type = p_type AND third_party IS NULL
             AND next_seq < 50 AND (channel_id IS NULL OR channel_id = p_channel)
           ORDER BY channel_id IS NULL, track, start_no
        $$`);
    await q.query(allocateFunction('invoice_number_candidates(p_seller, p_period, p_type, p_channel)'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      allocateFunction(`(SELECT id, track, start_no, next_seq, channel_id FROM booklets
                     WHERE seller_id = p_seller AND period = p_period AND invoice_type = p_type AND third_party IS NULL
                       AND next_seq < 50 AND (channel_id IS NULL OR channel_id = p_channel))`),
    );
    await q.query(`DROP FUNCTION invoice_number_candidates(uuid, char, char, uuid)`);
  }
}

/** AllocateNumbers1763850000000's function, its candidates read from `source` (the body is otherwise unchanged). */
function allocateFunction(source: string): string {
  return `
    CREATE OR REPLACE FUNCTION allocate_invoice_numbers(p_seller uuid, p_period char(5), p_type char(2), p_channel uuid, p_count integer)
      RETURNS TABLE (booklet_id uuid, seq smallint, invoice_number text)
      LANGUAGE plpgsql VOLATILE AS $$
    #variable_conflict use_column
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtextextended('allocate:' || p_seller || ':' || p_period, 0));
      RETURN QUERY
        WITH candidates AS (
          SELECT id, track, start_no, next_seq, 50 - next_seq AS free,
                 COALESCE(sum(50 - next_seq) OVER w, 0) AS before,
                 sum(50 - next_seq) OVER () AS total
            FROM (SELECT id, track, start_no, next_seq, channel_id FROM ${source} b
                   ORDER BY channel_id IS NULL, track, start_no
                   LIMIT p_count) c
          WINDOW w AS (ORDER BY channel_id IS NULL, track, start_no ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
        ), taken AS (
          SELECT id, track, start_no, next_seq, before, least(free, p_count - before) AS take
            FROM candidates WHERE before < p_count AND total >= p_count
        ), moved AS (
          UPDATE booklets b SET next_seq = b.next_seq + t.take FROM taken t WHERE b.id = t.id
        ), numbers AS (
          SELECT t.id AS booklet_id, s::smallint AS seq, t.track || lpad((t.start_no + s)::text, 8, '0') AS invoice_number,
                 t.before + s - t.next_seq AS ordinal
            FROM taken t CROSS JOIN LATERAL generate_series(t.next_seq::int, t.next_seq + t.take - 1) s
        ), ledger AS (
          INSERT INTO allocated_numbers (booklet_id, seq, seller_id, period, invoice_number, channel_id, allocated_at)
          SELECT n.booklet_id, n.seq, p_seller, p_period, n.invoice_number, p_channel, clock_timestamp() FROM numbers n
        )
        SELECT n.booklet_id, n.seq, n.invoice_number FROM numbers n ORDER BY n.ordinal;
    END $$`;
}
