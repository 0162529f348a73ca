import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** 50 consecutive numbers; `nextSeq` numbers from its start have been allocated, in order. */
@Entity('booklets')
export class BookletEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'track_range_id', type: 'uuid' }) trackRangeId!: string;
  @Column({ name: 'seller_id', type: 'uuid' }) sellerId!: string;
  @Column({ type: 'char', length: 5 }) period!: string;
  @Column({ name: 'invoice_type', type: 'char', length: 2 }) invoiceType!: string;
  @Column({ type: 'char', length: 2 }) track!: string;
  @Column({ name: 'start_no', type: 'int' }) startNo!: number;
  @Column({ name: 'channel_id', type: 'uuid', nullable: true }) channelId!: string | null;
  @Column({ name: 'third_party', type: 'text', nullable: true }) thirdParty!: string | null;
  @Column({ name: 'blank_start', type: 'int', nullable: true }) blankStart!: number | null;
  @Column({ name: 'next_seq', type: 'smallint', default: 0 }) nextSeq!: number;
}
