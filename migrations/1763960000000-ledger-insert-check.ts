import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ledger check counted a booklet's whole ledger for every row inserted into it, though an insert can only break
 * it by a number at or past `next_seq` (a repeat is refused by the primary key; a gap or a moved `next_seq` needs a
 * delete, an update or a booklet update, each still checked in full by check_booklet_ledger). An insert now checks
 * its own number against the booklet, one key lookup: a `POST /invoices` ran the full count twice (once for the
 * booklet, once for its number), an import chunk once per number.
 */
export class LedgerInsertCheck1763960000000 implements MigrationInterface {
  name = 'LedgerInsertCheck1763960000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION check_ledger_number() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        expected smallint;
      BEGIN
        SELECT next_seq INTO expected FROM booklets WHERE id = NEW.booklet_id;
        IF NEW.seq >= expected THEN
          RAISE EXCEPTION 'booklet % ledger gets seq % past the first %', NEW.booklet_id, NEW.seq, expected
            USING ERRCODE = 'check_violation', CONSTRAINT = 'booklet_ledger_consecutive';
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`DROP TRIGGER booklet_ledger_on_number ON allocated_numbers`);
    await q.query(`
      CREATE CONSTRAINT TRIGGER booklet_ledger_on_number AFTER INSERT ON allocated_numbers
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION check_ledger_number()`);
    await q.query(`
      CREATE CONSTRAINT TRIGGER booklet_ledger_on_change AFTER UPDATE OR DELETE ON allocated_numbers
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION check_booklet_ledger()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER booklet_ledger_on_change ON allocated_numbers`);
    await q.query(`DROP TRIGGER booklet_ledger_on_number ON allocated_numbers`);
    await q.query(`
      CREATE CONSTRAINT TRIGGER booklet_ledger_on_number AFTER INSERT OR UPDATE OR DELETE ON allocated_numbers
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION check_booklet_ledger()`);
    await q.query(`DROP FUNCTION check_ledger_number()`);
  }
}
