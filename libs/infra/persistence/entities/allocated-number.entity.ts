import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** The ledger of every number handed out: one row per number, so the database forbids handing one out twice. */
@Entity('allocated_numbers')
export class AllocatedNumberEntity {
  @PrimaryColumn({ name: 'booklet_id', type: 'uuid' }) bookletId!: string;
  @PrimaryColumn({ type: 'smallint' }) seq!: number;
  @Column({ name: 'seller_id', type: 'uuid' }) sellerId!: string;
  @Column({ type: 'char', length: 5 }) period!: string;
  @Column({ name: 'invoice_number', type: 'char', length: 10 }) invoiceNumber!: string;
  @Column({ name: 'channel_id', type: 'uuid', nullable: true }) channelId!: string | null;
  @CreateDateColumn({ name: 'allocated_at', type: 'timestamptz' }) allocatedAt!: Date;
}
