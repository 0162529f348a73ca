import { DataSource } from 'typeorm';

export interface StaffSessionRecord {
  id: string;
  apiKeyId: string | null;
  role: string;
  name: string;
  createdAt: Date;
  expiresAt: Date;
}

interface SessionRow {
  id: string;
  api_key_id: string | null;
  role: string;
  name: string;
  created_at: Date;
  expires_at: Date;
}

const toSession = (row: SessionRow): StaffSessionRecord => ({
  id: row.id,
  apiKeyId: row.api_key_id,
  role: row.role,
  name: row.name,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
});

/** The one owner of `staff_sessions`: rows are found by the SHA-256 of the cookie token, never by the token. */
export class StaffSessionsRepository {
  constructor(private readonly db: DataSource) {}

  async insert(session: { tokenHash: string; apiKeyId: string | null; role: string; name: string; createdAt: Date; expiresAt: Date }): Promise<StaffSessionRecord> {
    const rows: SessionRow[] = await this.db.query(
      `INSERT INTO staff_sessions (token_hash, api_key_id, role, name, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [session.tokenHash, session.apiKeyId, session.role, session.name, session.createdAt, session.expiresAt],
    );
    return toSession(rows[0]);
  }

  /**
   * A live session: not ended, not expired, and its key not revoked since. The role is the key's current one, so a
   * key changed to viewer loses its rights at once.
   */
  async findLive(tokenHash: string, now: Date): Promise<StaffSessionRecord | undefined> {
    const rows: SessionRow[] = await this.db.query(
      `SELECT s.id, s.api_key_id, COALESCE(k.role, s.role) AS role, s.name, s.created_at, s.expires_at
         FROM staff_sessions s LEFT JOIN api_keys k ON k.id = s.api_key_id
        WHERE s.token_hash = $1 AND s.ended_at IS NULL AND s.expires_at > $2
          AND (s.api_key_id IS NULL OR k.revoked_at IS NULL)`,
      [tokenHash, now],
    );
    return rows[0] ? toSession(rows[0]) : undefined;
  }

  async end(tokenHash: string, at: Date): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `UPDATE staff_sessions SET ended_at = $2 WHERE token_hash = $1 AND ended_at IS NULL RETURNING id`,
      [tokenHash, at],
    );
    return rows.length > 0;
  }
}
