import { DataSource } from 'typeorm';
import { Clock } from '../../adapters/clock/clock';
import { InvoicesService } from '../invoices';
import { NumberAllocator } from '../numbers';
import { OrderImportsRepository } from './order-imports.repository';
import { OrderImportsService } from './order-imports.service';

/** The imports module's face: order workbook preview, chunked issuing, progress and results. */
export { OrderImportsService };
export type { ImportPreview, ImportProgress, ImportSummary, ImportedInvoice } from './order-imports.service';
export type { ImportState } from './order-imports.repository';

export function createOrderImportsService(db: DataSource, deps: { invoices: InvoicesService; allocator: NumberAllocator; clock: Clock }): OrderImportsService {
  return new OrderImportsService(db, new OrderImportsRepository(db), deps.invoices, deps.allocator, deps.clock);
}
