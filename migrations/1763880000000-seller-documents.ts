import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a seller's documents need: the QR code's AES key (the MOF's 密碼種子, sealed like channel credentials), the
 * seller's stamp (發票章) printed on the A4 proof, the 9-digit tax registration number (稅籍編號) of the media file;
 * and every print of an invoice proof, the first one the original and each later one a reprint (補印).
 */
export class SellerDocuments1763880000000 implements MigrationInterface {
  name = 'SellerDocuments1763880000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sellers ADD COLUMN qr_aes_key_sealed bytea`);
    await q.query(`ALTER TABLE sellers ADD COLUMN qr_aes_key_set_at timestamptz`);
    await q.query(`ALTER TABLE sellers ADD COLUMN stamp_image bytea`);
    await q.query(`ALTER TABLE sellers ADD COLUMN stamp_mime text CHECK (stamp_mime IN ('image/png', 'image/jpeg'))`);
    await q.query(`ALTER TABLE sellers ADD CONSTRAINT sellers_stamp_whole CHECK ((stamp_image IS NULL) = (stamp_mime IS NULL))`);
    await q.query(`ALTER TABLE sellers ADD COLUMN tax_registration_number char(9) CHECK (tax_registration_number ~ '^[0-9]{9}$')`);
    await q.query(`
      CREATE TABLE invoice_prints (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        invoice_id uuid NOT NULL REFERENCES invoices(id),
        layout text NOT NULL CHECK (layout IN ('thermal', 'a4')),
        via text NOT NULL CHECK (via IN ('print', 'email')),
        reprint boolean NOT NULL,
        printed_by text NOT NULL,
        printed_at timestamptz NOT NULL DEFAULT now()
      )`);
    // There is no unmarked second copy: one original per invoice, whatever the code does.
    await q.query(`CREATE UNIQUE INDEX invoice_prints_one_original ON invoice_prints (invoice_id) WHERE NOT reprint`);
    await q.query(`CREATE INDEX invoice_prints_invoice ON invoice_prints (invoice_id, printed_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE invoice_prints`);
    await q.query(`ALTER TABLE sellers DROP CONSTRAINT sellers_stamp_whole`);
    for (const column of ['tax_registration_number', 'stamp_mime', 'stamp_image', 'qr_aes_key_set_at', 'qr_aes_key_sealed']) {
      await q.query(`ALTER TABLE sellers DROP COLUMN ${column}`);
    }
  }
}
