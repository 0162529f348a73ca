import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type ApiKeyRole = 'admin' | 'channel';

@Entity('api_keys')
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  /** SHA-256 of the key: keys are 256-bit random, so a plain hash cannot be brute-forced. */
  @Column({ name: 'key_hash', type: 'char', length: 64 }) keyHash!: string;
  @Column({ name: 'key_prefix', type: 'varchar', length: 16 }) keyPrefix!: string;
  @Column('text') role!: ApiKeyRole;
  @Column({ name: 'seller_id', type: 'uuid', nullable: true }) sellerId!: string | null;
  @Column({ name: 'channel_id', type: 'uuid', nullable: true }) channelId!: string | null;
  @Column('text') name!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt!: Date | null;
}
