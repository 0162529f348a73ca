import pLimit from 'p-limit';
import { WorkflowStarter } from '../libs/adapters/temporal/workflow-starter';
import { OrderImportsService } from '../libs/modules/imports/order-imports.service';
import { permanentOnDomainError } from './errors';

/**
 * Lifecycle starts of one chunk in flight at once: each is a server round trip, so a chunk of 100 started one after
 * another waits for 100 of them in a row; more than this only queues inside the Temporal dev server's two cores.
 */
export const LIFECYCLE_START_CONCURRENCY = 20;

export interface OrderImportActivityDeps {
  imports: OrderImportsService;
  starter: WorkflowStarter;
}

export const createOrderImportActivities = ({ imports, starter }: OrderImportActivityDeps) => ({
  async issueNextChunk(importId: string, size: number) {
    return permanentOnDomainError(() => imports.issueNextChunk(importId, size));
  },

  /** Starting is idempotent per invoice (workflow id = seller + number), so a retried batch starts nothing twice. */
  async startImportedLifecycles(importId: string, sellerBan: string, invoices: Awaited<ReturnType<OrderImportsService['issueNextChunk']>>['invoices']) {
    const limit = pLimit(LIFECYCLE_START_CONCURRENCY);
    await Promise.all(invoices.map((invoice) => limit(() => starter.startLifecycle(sellerBan, invoice))));
    await imports.markStarted(importId, invoices.map((invoice) => invoice.ordinal));
  },

  async finishImport(importId: string): Promise<void> {
    await imports.finish(importId);
  },
});

export type OrderImportActivities = ReturnType<typeof createOrderImportActivities>;
