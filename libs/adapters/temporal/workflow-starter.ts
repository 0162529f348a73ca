import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { LifecycleRecord, lifecycleInput } from '../../contracts/lifecycle-input';
import { RECONCILIATION_WORKFLOW_TYPES, ReconciliationInput } from '../../contracts/reconciliation';
import { OrderImportInput, WORKFLOW_TYPES, importWorkflowId, invoiceWorkflowId } from '../../contracts/workflows';

/**
 * Starts workflows by business key: starting one that runs is a no-op (USE_EXISTING), one that has ended is not
 * started again, so a retried request or activity never makes a second run.
 */
export class WorkflowStarter {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  async startLifecycle(sellerBan: string, record: LifecycleRecord): Promise<void> {
    await this.startOnce(WORKFLOW_TYPES.invoiceLifecycle, invoiceWorkflowId(sellerBan, record.invoiceNumber), lifecycleInput(sellerBan, record));
  }

  async startImport(importId: string): Promise<void> {
    const input: OrderImportInput = { importId };
    await this.startOnce(WORKFLOW_TYPES.orderImport, importWorkflowId(importId), input);
  }

  async startReconciliation(workflowId: string, input: ReconciliationInput): Promise<void> {
    await this.startOnce(RECONCILIATION_WORKFLOW_TYPES.reconciliation, workflowId, input);
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
