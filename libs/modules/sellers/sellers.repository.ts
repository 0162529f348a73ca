import { DataSource } from 'typeorm';
import { SellerRecord } from './seller.records';

const COLUMNS = `id, ban, name, address, blank_reporting AS "blankReporting", pool_parallel_booklets AS "poolParallelBooklets", created_at AS "createdAt"`;

/** The `sellers` table. */
export class SellersRepository {
  constructor(private readonly db: DataSource) {}

  async insert(seller: { ban: string; name: string; address: string | null }): Promise<SellerRecord> {
    const [row] = await this.db.query(`INSERT INTO sellers (ban, name, address) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`, [seller.ban, seller.name, seller.address]);
    return row;
  }

  async findByBan(ban: string): Promise<SellerRecord | undefined> {
    const [row] = await this.db.query(`SELECT ${COLUMNS} FROM sellers WHERE ban = $1`, [ban]);
    return row;
  }

  async list(): Promise<SellerRecord[]> {
    return this.db.query(`SELECT ${COLUMNS} FROM sellers ORDER BY ban`);
  }

  async update(id: string, changes: Pick<SellerRecord, 'blankReporting' | 'name' | 'address' | 'poolParallelBooklets'>): Promise<SellerRecord> {
    const [row] = await this.db.query(
      `UPDATE sellers SET blank_reporting = $2, name = $3, address = $4, pool_parallel_booklets = $5 WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, changes.blankReporting, changes.name, changes.address, changes.poolParallelBooklets],
    );
    return row;
  }
}
