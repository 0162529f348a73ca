import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Clock } from '../../adapters/clock/clock';
import { hashApiKey } from '../../adapters/crypto/api-key-secret';
import { StaffSessionRecord, StaffSessionsRepository } from './staff-sessions.repository';

/** A working day and a bit: a wall screen signs in again each morning. */
export const SESSION_TTL_MS = 12 * 3600_000;

/**
 * Dashboard sessions: the staff member's API key is exchanged once for a random token the browser holds only as an
 * HttpOnly cookie. The database keeps the token's SHA-256 (the token is 256-bit random, so a plain hash suffices).
 */
export class StaffSessionsService {
  private readonly repository: StaffSessionsRepository;

  constructor(
    db: DataSource,
    private readonly clock: Clock,
  ) {
    this.repository = new StaffSessionsRepository(db);
  }

  async open(holder: { apiKeyId: string | null; role: string; name: string }): Promise<{ token: string; session: StaffSessionRecord }> {
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const session = await this.repository.insert({
      tokenHash: hashApiKey(token),
      apiKeyId: holder.apiKeyId,
      role: holder.role,
      name: holder.name,
      createdAt: now,
      expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
    });
    return { token, session };
  }

  async resolve(token: string): Promise<StaffSessionRecord | undefined> {
    return this.repository.findLive(hashApiKey(token), this.clock.now());
  }

  /** Sign-out; ending a session already ended is harmless. */
  async end(token: string): Promise<void> {
    await this.repository.end(hashApiKey(token), this.clock.now());
  }
}
