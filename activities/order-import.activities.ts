import pLimit from 'p-limit';
import { WorkflowStarter } from '../libs/adapters/temporal/workflow-starter';
import { ImportedInvoice, OrderImportsService } from '../libs/modules/imports';
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

export const createOrderImportActivities = ({ imports, starter }: OrderImportActivityDeps) => {
  async function start(importId: string, sellerBan: string, invoices: ImportedInvoice[]): Promise<void> {
    const limit = pLimit(LIFECYCLE_START_CONCURRENCY);
    await Promise.all(invoices.map((invoice) => limit(() => starter.startLifecycle(sellerBan, invoice))));
    await imports.markStarted(importId, invoices.map((invoice) => invoice.ordinal));
  }

  return {
    /** Runs recorded before `issueChunk`: the chunk's invoices, whole, go through the workflow's history. */
    async issueNextChunk(importId: string, size: number) {
      return permanentOnDomainError(() => imports.issueNextChunk(importId, size));
    },

    /**
     * Issues the next chunk and names its rows: the invoices stay in the database, not in the workflow's history
     * (which would otherwise grow by ~3 KB a row and ask to continue as new every few thousand rows).
     */
    async issueChunk(importId: string, size: number, unstartedFirst: boolean): Promise<{ sellerBan: string; ordinals: number[] }> {
      const { sellerBan, invoices } = await permanentOnDomainError(() => imports.issueNextChunk(importId, size, unstartedFirst));
      return { sellerBan, ordinals: invoices.map((invoice) => invoice.ordinal) };
    },

    /** Starting is idempotent per invoice (workflow id = seller + number), so a retried batch starts nothing twice. */
    async startImportedLifecycles(importId: string, sellerBan: string, invoices: ImportedInvoice[]) {
      await start(importId, sellerBan, invoices);
    },

    /** Starts the lifecycles of those rows not yet started (a retry skips those it confirmed). */
    async startChunk(importId: string, sellerBan: string, ordinals: number[]): Promise<void> {
      await start(importId, sellerBan, await imports.unstarted(importId, ordinals));
    },

    async finishImport(importId: string): Promise<void> {
      await imports.finish(importId);
    },
  };
};

export type OrderImportActivities = ReturnType<typeof createOrderImportActivities>;
