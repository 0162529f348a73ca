import { DataSource } from 'typeorm';
import { SellerRecord, StampMime } from './seller.records';

const COLUMNS = `id, ban, name, address, blank_reporting AS "blankReporting", pool_parallel_booklets AS "poolParallelBooklets",
  tax_registration_number AS "taxRegistrationNumber", qr_aes_key_set_at AS "qrKeySetAt", stamp_image IS NOT NULL AS "hasStamp",
  created_at AS "createdAt"`;

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

  async update(id: string, changes: Pick<SellerRecord, 'blankReporting' | 'name' | 'address' | 'poolParallelBooklets' | 'taxRegistrationNumber'>): Promise<SellerRecord> {
    // For an UPDATE the driver answers [rows, rowCount].
    const [[row]] = await this.db.query(
      `UPDATE sellers SET blank_reporting = $2, name = $3, address = $4, pool_parallel_booklets = $5, tax_registration_number = $6
        WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, changes.blankReporting, changes.name, changes.address, changes.poolParallelBooklets, changes.taxRegistrationNumber],
    );
    return row;
  }

  async setQrKey(id: string, sealed: Buffer): Promise<SellerRecord> {
    const [[row]] = await this.db.query(`UPDATE sellers SET qr_aes_key_sealed = $2, qr_aes_key_set_at = now() WHERE id = $1 RETURNING ${COLUMNS}`, [id, sealed]);
    return row;
  }

  async qrKeySealed(id: string): Promise<Buffer | null> {
    const [row] = await this.db.query(`SELECT qr_aes_key_sealed AS sealed FROM sellers WHERE id = $1`, [id]);
    return row?.sealed ?? null;
  }

  async setStamp(id: string, stamp: { image: Buffer; mime: StampMime } | null): Promise<SellerRecord> {
    const [[row]] = await this.db.query(`UPDATE sellers SET stamp_image = $2, stamp_mime = $3 WHERE id = $1 RETURNING ${COLUMNS}`, [id, stamp?.image ?? null, stamp?.mime ?? null]);
    return row;
  }

  async stampOf(id: string): Promise<{ image: Buffer; mime: StampMime } | undefined> {
    const [row] = await this.db.query(`SELECT stamp_image AS image, stamp_mime AS mime FROM sellers WHERE id = $1 AND stamp_image IS NOT NULL`, [id]);
    return row;
  }
}
