import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('sellers')
export class SellerEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'char', length: 8 }) ban!: string;
  @Column('text') name!: string;
  @Column({ type: 'text', nullable: true }) address!: string | null;
  @Column({ name: 'blank_reporting', default: true }) blankReporting!: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
