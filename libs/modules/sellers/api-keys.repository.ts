import { DataSource } from 'typeorm';
import { ApiKeyRecord, ApiKeyRole } from './seller.records';

/** A live key joined to the seller and channel it is bound to (both null for staff). */
export interface ResolvedKeyRow {
  id: string;
  role: ApiKeyRole;
  name: string;
  sellerId: string | null;
  sellerBan: string | null;
  channelId: string | null;
  channelCode: string | null;
}

/** The `api_keys` table: only hashes of keys are stored. */
export class ApiKeysRepository {
  constructor(private readonly db: DataSource) {}

  async insert(key: Pick<ApiKeyRecord, 'keyHash' | 'keyPrefix' | 'role' | 'name' | 'sellerId' | 'channelId'>): Promise<ApiKeyRecord> {
    const [row] = await this.db.query(
      `INSERT INTO api_keys (key_hash, key_prefix, role, name, seller_id, channel_id) VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING id, key_hash AS "keyHash", key_prefix AS "keyPrefix", role, seller_id AS "sellerId", channel_id AS "channelId",
                 name, created_at AS "createdAt", revoked_at AS "revokedAt"`,
      [key.keyHash, key.keyPrefix, key.role, key.name, key.sellerId, key.channelId],
    );
    return row;
  }

  async findLiveByHash(keyHash: string): Promise<ResolvedKeyRow | undefined> {
    const [row] = await this.db.query(
      `SELECT k.id, k.role, k.name, k.seller_id AS "sellerId", s.ban AS "sellerBan", k.channel_id AS "channelId", c.code AS "channelCode"
         FROM api_keys k
         LEFT JOIN sellers s ON s.id = k.seller_id
         LEFT JOIN channels c ON c.id = k.channel_id
        WHERE k.key_hash = $1 AND k.revoked_at IS NULL`,
      [keyHash],
    );
    return row;
  }
}
