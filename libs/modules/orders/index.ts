import { DataSource } from 'typeorm';
import { Clock } from '../../adapters/clock/clock';
import { WorkflowStarter } from '../../adapters/temporal/workflow-starter';
import { AlertsService } from '../alerts';
import { InvoiceOperations, InvoicesService } from '../invoices';
import { SellersService } from '../sellers';
import { OrderProcessingService } from './order-processing.service';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';

/** The orders module's face: order events received, and the order workflow's steps. */
export { OrderProcessingService, OrdersService };
export type { OrderEventRecord, OrderInvoiceLink, OrderRecord, OrderSnapshot } from './orders.repository';

export function createOrdersService(db: DataSource, deps: { invoices: InvoicesService; starter: WorkflowStarter; clock: Clock }): OrdersService {
  return new OrdersService(new OrdersRepository(db), deps.invoices, deps.starter, deps.clock);
}

export function createOrderProcessingService(
  db: DataSource,
  deps: { sellers: SellersService; invoices: InvoicesService; operations: InvoiceOperations; alerts: AlertsService },
): OrderProcessingService {
  return new OrderProcessingService(new OrdersRepository(db), deps.sellers, deps.invoices, deps.operations, deps.alerts);
}
