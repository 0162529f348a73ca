import { DataSource, EntityManager } from 'typeorm';
import { ChannelRecord } from './seller.records';

const COLUMNS = `id, seller_id AS "sellerId", code, kind, name, issue_triggers AS "issueTriggers",
  self_managed_logistics AS "selfManagedLogistics", parallel_booklets AS "parallelBooklets", credentials_sealed AS "credentialsSealed", created_at AS "createdAt"`;

/** The `channels` table. */
export class ChannelsRepository {
  constructor(private readonly db: DataSource) {}

  async insert(channel: Omit<ChannelRecord, 'id' | 'createdAt'>): Promise<ChannelRecord> {
    const [row] = await this.db.query(
      `INSERT INTO channels (seller_id, code, kind, name, issue_triggers, self_managed_logistics, parallel_booklets, credentials_sealed)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
      [channel.sellerId, channel.code, channel.kind, channel.name, channel.issueTriggers, channel.selfManagedLogistics, channel.parallelBooklets, channel.credentialsSealed],
    );
    return row;
  }

  async find(sellerId: string, code: string, manager: EntityManager | DataSource = this.db): Promise<ChannelRecord | undefined> {
    const [row] = await manager.query(`SELECT ${COLUMNS} FROM channels WHERE seller_id = $1 AND code = $2`, [sellerId, code]);
    return row;
  }

  async list(sellerId: string): Promise<ChannelRecord[]> {
    return this.db.query(`SELECT ${COLUMNS} FROM channels WHERE seller_id = $1 ORDER BY code`, [sellerId]);
  }

  async updateSettings(id: string, settings: Pick<ChannelRecord, 'issueTriggers' | 'selfManagedLogistics' | 'parallelBooklets'>): Promise<void> {
    await this.db.query(`UPDATE channels SET issue_triggers = $2, self_managed_logistics = $3, parallel_booklets = $4 WHERE id = $1`, [
      id,
      settings.issueTriggers,
      settings.selfManagedLogistics,
      settings.parallelBooklets,
    ]);
  }
}
