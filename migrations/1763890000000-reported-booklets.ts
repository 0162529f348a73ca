import { MigrationInterface, QueryRunner } from 'typeorm';

const STATES_BEFORE = `'computing', 'draft', 'refused', 'held', 'uploading', 'sent', 'accepted', 'rejected', 'checked'`;

/**
 * What held-out cases found (issue 22), as the database enforces it:
 * - a booklet whose blank range is reported (the run's `reported_at` set, before its E0402 goes to Turnkey) is
 *   closed in the same transaction, and no number of it can be allocated again, whatever the code does;
 * - a hold records who, when and why, and a release who and when;
 * - a period with no blank numbers has the state `nothing_to_report`;
 * - an order event id sent again with other content is refused, and the refusals are counted on the event.
 */
export class ReportedBooklets1763890000000 implements MigrationInterface {
  name = 'ReportedBooklets1763890000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE booklets ADD COLUMN reported_at timestamptz`);
    await q.query(`
      CREATE FUNCTION refuse_reported_booklet() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        target uuid;
        closed timestamptz;
      BEGIN
        IF TG_TABLE_NAME = 'booklets' THEN
          target := OLD.id;
          closed := OLD.reported_at;
        ELSE
          target := NEW.booklet_id;
          SELECT reported_at INTO closed FROM booklets WHERE id = target;
        END IF;
        IF closed IS NOT NULL THEN
          RAISE EXCEPTION 'booklet % was reported blank at %: no number of it can be allocated', target, closed
            USING ERRCODE = 'check_violation', CONSTRAINT = 'booklet_reported_closed';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER booklet_reported_closed BEFORE UPDATE OF next_seq ON booklets
        FOR EACH ROW WHEN (OLD.reported_at IS NOT NULL AND NEW.next_seq IS DISTINCT FROM OLD.next_seq)
        EXECUTE FUNCTION refuse_reported_booklet()`);
    await q.query(`
      CREATE TRIGGER allocated_number_of_reported_booklet BEFORE INSERT ON allocated_numbers
        FOR EACH ROW EXECUTE FUNCTION refuse_reported_booklet()`);
    // The report run's reported_at is set before its E0402s are handed to Turnkey: the period's booklets close with it.
    await q.query(`
      CREATE FUNCTION close_reported_booklets() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE booklets SET reported_at = NEW.reported_at
         WHERE seller_id = NEW.seller_id AND period = NEW.period AND reported_at IS NULL;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER reconciliation_reported_closes_booklets AFTER UPDATE OF reported_at ON reconciliations
        FOR EACH ROW WHEN (NEW.mode = 'report' AND NEW.reported_at IS NOT NULL AND OLD.reported_at IS NULL)
        EXECUTE FUNCTION close_reported_booklets()`);
    await q.query(candidates('AND reported_at IS NULL'));

    await q.query(`ALTER TABLE reconciliations DROP CONSTRAINT reconciliations_state_check`);
    await q.query(`ALTER TABLE reconciliations ADD CONSTRAINT reconciliations_state_check CHECK (state IN (${STATES_BEFORE}, 'nothing_to_report'))`);
    await q.query(`
      ALTER TABLE reconciliations
        ADD COLUMN held_at timestamptz,
        ADD COLUMN hold_reason text,
        ADD COLUMN released_by text,
        ADD COLUMN released_at timestamptz`);

    await q.query(`
      ALTER TABLE order_events
        ADD COLUMN refused integer NOT NULL DEFAULT 0,
        ADD COLUMN last_refused_at timestamptz,
        ADD COLUMN last_refused_body jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE order_events DROP COLUMN refused, DROP COLUMN last_refused_at, DROP COLUMN last_refused_body`);
    await q.query(`ALTER TABLE reconciliations DROP COLUMN held_at, DROP COLUMN hold_reason, DROP COLUMN released_by, DROP COLUMN released_at`);
    await q.query(`UPDATE reconciliations SET state = 'accepted' WHERE state = 'nothing_to_report'`);
    await q.query(`ALTER TABLE reconciliations DROP CONSTRAINT reconciliations_state_check`);
    await q.query(`ALTER TABLE reconciliations ADD CONSTRAINT reconciliations_state_check CHECK (state IN (${STATES_BEFORE}))`);
    await q.query(candidates(''));
    await q.query(`DROP TRIGGER reconciliation_reported_closes_booklets ON reconciliations`);
    await q.query(`DROP FUNCTION close_reported_booklets()`);
    await q.query(`DROP TRIGGER allocated_number_of_reported_booklet ON allocated_numbers`);
    await q.query(`DROP TRIGGER booklet_reported_closed ON booklets`);
    await q.query(`DROP FUNCTION refuse_reported_booklet()`);
    await q.query(`ALTER TABLE booklets DROP COLUMN reported_at`);
  }
}

/** NumberCandidates1763860000000's function, with `extra` among its conditions and `open` saying which booklets have numbers left. */
export function candidates(extra: string, open = 'next_seq < 50'): string {
  return `
    CREATE OR REPLACE FUNCTION invoice_number_candidates(p_seller uuid, p_period char(5), p_type char(2), p_channel uuid)
      RETURNS TABLE (id uuid, track char(2), start_no integer, next_seq smallint, channel_id uuid)
      LANGUAGE sql STABLE AS $$
        SELECT id, track, start_no, next_seq, channel_id
          FROM booklets
         WHERE seller_id = p_seller AND period = p_period AND invoice_type = p_type AND third_party IS NULL
           AND ${open} AND (channel_id IS NULL OR channel_id = p_channel) ${extra}
         ORDER BY channel_id IS NULL, track, start_no
      $$`;
}
