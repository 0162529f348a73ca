import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Staff roles (admin, finance, viewer) reach every seller; a channel key only its own seller and channel. */
export type ApiKeyRole = 'admin' | 'finance' | 'viewer' | 'channel';
export type StaffRole = Exclude<ApiKeyRole, 'channel'>;
export const STAFF_ROLES: readonly StaffRole[] = ['admin', 'finance', 'viewer'];

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
