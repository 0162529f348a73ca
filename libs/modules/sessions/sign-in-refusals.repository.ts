import { DataSource } from 'typeorm';

/** An attempt let through (its row, a wrong key until shown otherwise), or the wrong keys that keep it out. */
export type Admission = { admitted: true; id: string } | { admitted: false; wrongKeysSince: Date[] };

/** The one owner of `sign_in_refusals`. */
export class SignInRefusalsRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Under a lock per address (every API process takes the same one), reads the address's latest `limit` wrong keys
   * since `since`: fewer, and the attempt is let through, recorded as a wrong key at once so that attempts in flight
   * together count against the limit; as many, and a refusal for the throttle is recorded instead. The address's
   * rows from before `since` count for nothing any more and go, so the table holds the last window of each address
   * that tried again, not every attempt ever refused.
   */
  async admit(address: string, at: Date, since: Date, limit: number): Promise<Admission> {
    return this.db.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`sign-in:${address}`]);
      await manager.query(`DELETE FROM sign_in_refusals WHERE address = $1 AND at <= $2`, [address, since]);
      const rows: { at: Date }[] = await manager.query(
        `SELECT at FROM sign_in_refusals WHERE address = $1 AND reason = 'invalid_key' AND at > $2 ORDER BY at DESC LIMIT $3`,
        [address, since, limit],
      );
      if (rows.length >= limit) {
        await manager.query(`INSERT INTO sign_in_refusals (address, at, reason) VALUES ($1, $2, 'throttled')`, [address, at]);
        return { admitted: false, wrongKeysSince: rows.map((row) => row.at) };
      }
      const [row]: { id: string }[] = await manager.query(`INSERT INTO sign_in_refusals (address, at, reason) VALUES ($1, $2, 'invalid_key') RETURNING id`, [address, at]);
      return { admitted: true, id: String(row.id) };
    });
  }

  /** The attempt's key was right after all: it is no refusal. */
  async remove(id: string): Promise<void> {
    await this.db.query(`DELETE FROM sign_in_refusals WHERE id = $1`, [id]);
  }
}
