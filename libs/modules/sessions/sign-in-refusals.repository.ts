import { DataSource } from 'typeorm';

/** The one owner of `sign_in_refusals`. */
export class SignInRefusalsRepository {
  constructor(private readonly db: DataSource) {}

  /** When the address's latest `limit` wrong keys since `since` came, newest first. */
  async recentWrongKeys(address: string, since: Date, limit: number): Promise<Date[]> {
    const rows: { at: Date }[] = await this.db.query(
      `SELECT at FROM sign_in_refusals WHERE address = $1 AND reason = 'invalid_key' AND at > $2 ORDER BY at DESC LIMIT $3`,
      [address, since, limit],
    );
    return rows.map((row) => row.at);
  }

  async insert(address: string, at: Date, reason: 'invalid_key' | 'throttled'): Promise<void> {
    await this.db.query(`INSERT INTO sign_in_refusals (address, at, reason) VALUES ($1, $2, $3)`, [address, at, reason]);
  }
}
