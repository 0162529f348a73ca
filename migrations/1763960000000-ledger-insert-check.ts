import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ledger check counted a booklet's whole ledger for every row inserted into it, though an insert can only break
 * it by a number at or past `next_seq` (a repeat is refused by the primary key; a gap or a moved `next_seq` needs a
 * delete, an update or a booklet update, each still checked in full). An insert now checks its own number against the
 * booklet, one key lookup: a `POST /invoices` ran the full count twice (once for the booklet, once for its number),
 * an import chunk once per number.
 */
export class LedgerInsertCheck1763960000000 implements MigrationInterface {
  name = 'LedgerInsertCheck1763960000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(ledgerCheck(true));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(ledgerCheck(false));
  }
}

/** Foundation1763750000000's check_booklet_ledger, with the per-insert check when `insertByNumber`. */
function ledgerCheck(insertByNumber: boolean): string {
  return `
    CREATE OR REPLACE FUNCTION check_booklet_ledger() RETURNS trigger LANGUAGE plpgsql AS $$
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
${
  insertByNumber
    ? `      IF TG_TABLE_NAME = 'allocated_numbers' AND TG_OP = 'INSERT' THEN
        IF NEW.seq >= expected THEN
          RAISE EXCEPTION 'booklet % ledger gets seq % past the first %', target, NEW.seq, expected
            USING ERRCODE = 'check_violation', CONSTRAINT = 'booklet_ledger_consecutive';
        END IF;
        RETURN NULL;
      END IF;
`
    : ''
}      SELECT count(*), COALESCE(max(seq), -1) INTO actual_count, actual_max FROM allocated_numbers WHERE booklet_id = target;
      IF actual_count <> expected OR actual_max <> expected - 1 THEN
        RAISE EXCEPTION 'booklet % ledger holds % numbers (highest seq %), expected the first %', target, actual_count, actual_max, expected
          USING ERRCODE = 'check_violation', CONSTRAINT = 'booklet_ledger_consecutive';
      END IF;
      RETURN NULL;
    END $$`;
}
