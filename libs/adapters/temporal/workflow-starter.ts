import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { InvoiceLifecycleInput, OrderImportInput, importWorkflowId, invoiceWorkflowId } from '../../contracts/workflows';
import { IssuedRecord } from '../../modules/invoices/invoice-issuer';

type Instant = Date | string;

export type LifecycleRecord = Pick<IssuedRecord, 'invoiceId' | 'invoiceNumber' | 'notifyBuyer' | 'facts'> & {
  warnAt: Instant;
  dueAt: Instant;
  legalDueAt: Instant;
};

/**
 * Starts workflows by business key: starting one that runs is a no-op (USE_EXISTING), one that has ended is not
 * started again, so a retried request or activity never makes a second run.
 */
export class WorkflowStarter {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  /** Instants may arrive as strings: activity results cross Temporal as JSON. */
  async startLifecycle(sellerBan: string, record: LifecycleRecord): Promise<void> {
    const input: InvoiceLifecycleInput = {
      invoiceId: record.invoiceId,
      sellerBan,
      invoiceNumber: record.invoiceNumber,
      warnAt: new Date(record.warnAt).toISOString(),
      dueAt: new Date(record.dueAt).toISOString(),
      legalDueAt: new Date(record.legalDueAt).toISOString(),
      notifyBuyer: record.notifyBuyer,
      facts: record.facts,
    };
    await this.startOnce('invoiceLifecycle', invoiceWorkflowId(sellerBan, record.invoiceNumber), input);
  }

  async startImport(importId: string): Promise<void> {
    const input: OrderImportInput = { importId };
    await this.startOnce('orderImport', importWorkflowId(importId), input);
  }

  private async startOnce(workflowType: string, workflowId: string, input: unknown): Promise<void> {
    try {
      await this.client.workflow.start(workflowType, {
        workflowId,
        taskQueue: this.taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }
}
