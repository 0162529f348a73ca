import { MigrationInterface, QueryRunner } from 'typeorm';

/** Dashboard sign-in: a staff key exchanged once for a session cookie; only the cookie token's hash is stored. */
export class StaffSessions1763830000000 implements MigrationInterface {
  name = 'StaffSessions1763830000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE staff_sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token_hash char(64) NOT NULL UNIQUE,
        -- NULL for the ADMIN_API_KEY of the environment, which has no row; a deleted key ends its sessions.
        api_key_id uuid REFERENCES api_keys(id) ON DELETE CASCADE,
        role text NOT NULL,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        ended_at timestamptz,
        CHECK (expires_at > created_at)
      )`);
    await q.query(`CREATE INDEX staff_sessions_key ON staff_sessions (api_key_id) WHERE ended_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE staff_sessions`);
  }
}
