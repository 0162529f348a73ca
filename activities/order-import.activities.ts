import { WorkflowStarter } from '../libs/adapters/temporal/workflow-starter';
import { OrderImportsService } from '../libs/modules/imports/order-imports.service';
import { permanentOnDomainError } from './errors';

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
    for (const invoice of invoices) await starter.startLifecycle(sellerBan, invoice);
    await imports.markStarted(importId, invoices.map((invoice) => invoice.ordinal));
  },

  async finishImport(importId: string): Promise<void> {
    await imports.finish(importId);
  },
});

export type OrderImportActivities = ReturnType<typeof createOrderImportActivities>;
