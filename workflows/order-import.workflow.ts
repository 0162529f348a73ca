import { continueAsNew, patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { OrderImportActivities } from '../activities/order-import.activities';
import { OrderImportInput } from '../libs/contracts/workflows';

/** A chunk takes about a second; a short timeout means a chunk lost with a killed worker is retried soon. */
const io = proxyActivities<OrderImportActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

/** Rows per transaction: small enough to retry cheaply, large enough that 10,000 rows take a few hundred steps. */
export const IMPORT_CHUNK_SIZE = 100;

/**
 * Issues a confirmed import chunk by chunk and starts each invoice's lifecycle, the next chunk issued (database work)
 * while the one before it is being started (Temporal work). Every step is idempotent, so a worker killed anywhere
 * resumes here and issues each row exactly once with no number skipped.
 */
export async function orderImport(input: OrderImportInput): Promise<void> {
  if (!patched('issue-while-starting')) return issueThenStart(input);
  let starting: Promise<void> = Promise.resolve();
  // A run's first chunk takes up any rows an earlier run issued but did not start; after that, the rows not yet
  // started are the chunk this run is starting.
  let unstartedFirst = true;
  for (;;) {
    const [{ sellerBan, ordinals }] = await Promise.all([io.issueChunk(input.importId, IMPORT_CHUNK_SIZE, unstartedFirst), starting]);
    if (ordinals.length === 0) break;
    starting = io.startChunk(input.importId, sellerBan, ordinals);
    unstartedFirst = false;
    if (workflowInfo().continueAsNewSuggested) {
      await starting;
      await continueAsNew<typeof orderImport>(input);
    }
  }
  await io.finishImport(input.importId);
}

/** How runs recorded before the pipelining went: each chunk issued, then started, then the next, invoices in the history. */
async function issueThenStart(input: OrderImportInput): Promise<void> {
  for (;;) {
    const { sellerBan, invoices } = await io.issueNextChunk(input.importId, IMPORT_CHUNK_SIZE);
    if (invoices.length === 0) break;
    await io.startImportedLifecycles(input.importId, sellerBan, invoices);
    if (workflowInfo().continueAsNewSuggested) await continueAsNew<typeof orderImport>(input);
  }
  await io.finishImport(input.importId);
}
