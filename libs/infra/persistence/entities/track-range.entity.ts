import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A range of numbers the MOF allocated to a seller for one period, as imported from its number file. */
@Entity('track_ranges')
export class TrackRangeEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'seller_id', type: 'uuid' }) sellerId!: string;
  @Column({ type: 'char', length: 5 }) period!: string;
  @Column({ name: 'invoice_type', type: 'char', length: 2 }) invoiceType!: string;
  @Column({ type: 'char', length: 2 }) track!: string;
  @Column({ name: 'start_no', type: 'int' }) startNo!: number;
  @Column({ name: 'end_no', type: 'int' }) endNo!: number;
  @Column({ name: 'source_file', type: 'text', nullable: true }) sourceFile!: string | null;
  @CreateDateColumn({ name: 'imported_at', type: 'timestamptz' }) importedAt!: Date;
}
