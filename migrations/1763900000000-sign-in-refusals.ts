import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every refused sign-in (a wrong key, or one refused for too many wrong keys) with the address it came from: the
 * throttle counts them across every API process, and staff can see who knocked.
 */
export class SignInRefusals1763900000000 implements MigrationInterface {
  name = 'SignInRefusals1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sign_in_refusals (
        id bigserial PRIMARY KEY,
        address text NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        reason text NOT NULL CHECK (reason IN ('invalid_key', 'throttled'))
      )`);
    await q.query(`CREATE INDEX sign_in_refusals_recent ON sign_in_refusals (address, at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sign_in_refusals`);
  }
}
