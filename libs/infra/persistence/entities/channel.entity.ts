import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const CHANNEL_KINDS = ['web', 'pos', 'marketplace', 'third_party'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];
export const ISSUE_TRIGGERS = ['payment', 'shipment', 'delivery'] as const;
export type IssueTrigger = (typeof ISSUE_TRIGGERS)[number];

@Entity('channels')
export class ChannelEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'seller_id', type: 'uuid' }) sellerId!: string;
  @Column('varchar', { length: 32 }) code!: string;
  @Column('text') kind!: ChannelKind;
  @Column('text') name!: string;
  @Column({ name: 'issue_triggers', type: 'text', array: true }) issueTriggers!: IssueTrigger[];
  @Column({ name: 'self_managed_logistics', default: false }) selfManagedLogistics!: boolean;
  /** AES-256-GCM sealed JSON of the channel's credentials; never stored or logged in clear. */
  @Column({ name: 'credentials_sealed', type: 'bytea', nullable: true }) credentialsSealed!: Buffer | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
