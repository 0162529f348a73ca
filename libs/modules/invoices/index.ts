import { DataSource } from 'typeorm';
import { Clock } from '../../adapters/clock/clock';
import { LifecycleControl } from '../../adapters/temporal/lifecycle-control';
import { WorkflowStarter } from '../../adapters/temporal/workflow-starter';
import { TurnkeyGateway } from '../../adapters/turnkey/turnkey.gateway';
import { RandomSource } from '../../domain/invoice/random-number';
import { NumberAllocator } from '../numbers';
import { SellersService } from '../sellers';
import { ProofPdfRenderer } from '../../adapters/pdf/proof-pdf.renderer';
import { InvoiceIssuer } from './invoice-issuer';
import { InvoiceLifecycleService, LifecycleServiceOptions } from './invoice-lifecycle.service';
import { InvoiceOperations } from './invoice-operations';
import { InvoiceProofs } from './invoice-proofs.service';
import { InvoiceRepositories } from './invoice-repositories';
import { InvoicesService } from './invoices.service';

/** The invoices module's face: issuing and reading invoices, operations on their lifecycles, the lifecycle's steps. */
export { InvoiceAlerts } from './invoice-alerts';
export { InvoiceLifecycleService, InvoiceOperations, InvoiceProofs, InvoicesService };
export type { InvoicePrintRecord, PrintLayout } from './invoice-prints.repository';
export type { DeadlineTarget, DeliveredUpload, LifecycleObserver, LifecycleServiceOptions, LifecycleSubject, RecordedOutcome } from './invoice-lifecycle.service';
export type { IssueItem, IssuedRecord } from './invoice-issuer';
export type { BoardBucket, BoardCount, BoardItem } from './deadline-board.repository';
export { BOARD_BUCKETS } from './deadline-board.repository';
export type { InvoiceSearch, InvoiceSummary, SearchOrder, SearchStatus } from './invoice-search.repository';
export { SEARCH_STATUSES } from './invoice-search.repository';
export type { AllowanceView } from './allowances.repository';
export type { MessageView } from './invoice-messages.repository';
export type { UploadView } from './turnkey-uploads.repository';
export * from './invoice.records';

export interface InvoicesServiceDeps {
  allocator: NumberAllocator;
  random: RandomSource;
  /** How long before an upload is due its deadline turns to due_soon. */
  warnBeforeMs: number;
  starter: WorkflowStarter;
  clock: Clock;
}

export function createInvoicesService(db: DataSource, deps: InvoicesServiceDeps): InvoicesService {
  const repos = new InvoiceRepositories(db);
  return new InvoicesService(db, repos, new InvoiceIssuer(deps.allocator, repos.invoices, deps.random, deps.warnBeforeMs), deps.starter, deps.clock);
}

export function createInvoiceOperations(db: DataSource, lifecycles: LifecycleControl): InvoiceOperations {
  return new InvoiceOperations(new InvoiceRepositories(db), lifecycles);
}

export function createInvoiceProofs(db: DataSource, sellers: SellersService, renderer: ProofPdfRenderer): InvoiceProofs {
  return new InvoiceProofs(db, new InvoiceRepositories(db), sellers, renderer);
}

export function createInvoiceLifecycleService(db: DataSource, gateway: TurnkeyGateway, clock: Clock, options: LifecycleServiceOptions): InvoiceLifecycleService {
  return new InvoiceLifecycleService(db, new InvoiceRepositories(db), gateway, clock, options);
}
