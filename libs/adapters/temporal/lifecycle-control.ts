import { Client, WithStartWorkflowOperation, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { UpdateDefinition } from '@temporalio/common';
import { domainErrorOf } from '../../contracts/failures';
import {
  AllowanceRequestInput,
  AllowanceResult,
  AllowanceVoidRequest,
  InvoiceLifecycleInput,
  LifecycleStatus,
  ResendCorrections,
  VoidRequest,
  VoidResult,
  WORKFLOW_TYPES,
  allowanceUpdate,
  allowanceVoidUpdate,
  invoiceWorkflowId,
  resendUpdate,
  voidUpdate,
} from '../../contracts/workflows';

/** A refusal from the workflow (its validator or an activity it ran) as the domain error it was raised as. */
function refusalOf(error: unknown): unknown {
  return (error instanceof WorkflowUpdateFailedError && domainErrorOf(error.cause)) || error;
}

/** The operations a lifecycle takes as Updates, each with its argument and what it answers. */
export interface LifecycleOperations {
  void: [VoidRequest, VoidResult];
  allowance: [AllowanceRequestInput, AllowanceResult];
  allowanceVoid: [AllowanceVoidRequest, { allowanceNumber: string; messageId: string }];
}

const UPDATES: { [K in keyof LifecycleOperations]: UpdateDefinition<LifecycleOperations[K][1], [LifecycleOperations[K][0]]> } = {
  void: voidUpdate,
  allowance: allowanceUpdate,
  allowanceVoid: allowanceVoidUpdate,
};

/**
 * The port through which the invoices module drives an invoice's lifecycle workflow. Refusals come back as the
 * domain errors the workflow raised, so callers never see a Temporal type.
 */
export class LifecycleControl {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  /**
   * Update-with-start: reaches the running lifecycle, or starts it again from `resumeInput` once it has ended. The
   * Update id is the caller's idempotency key.
   */
  async operate<K extends keyof LifecycleOperations>(
    kind: K,
    sellerBan: string,
    invoiceNumber: string,
    resumeInput: () => Promise<InvoiceLifecycleInput>,
    arg: LifecycleOperations[K][0],
    updateId: string,
  ): Promise<LifecycleOperations[K][1]> {
    const input = await resumeInput();
    const update = UPDATES[kind] as UpdateDefinition<LifecycleOperations[K][1], [LifecycleOperations[K][0]]>;
    // A start operation is single-use.
    const start = () =>
      new WithStartWorkflowOperation(WORKFLOW_TYPES.invoiceLifecycle, {
        workflowId: invoiceWorkflowId(sellerBan, invoiceNumber),
        taskQueue: this.taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
    try {
      try {
        return await this.client.workflow.executeUpdateWithStart(update, { args: [arg], updateId, startWorkflowOperation: start() });
      } catch (error) {
        // The run ended between taking the request and handling it; the next attempt starts a new run.
        if (!(error instanceof WorkflowNotFoundError)) throw error;
        return await this.client.workflow.executeUpdateWithStart(update, { args: [arg], updateId, startWorkflowOperation: start() });
      }
    } catch (error) {
      throw refusalOf(error);
    }
  }

  /** A resend goes only to a running lifecycle: a finished one has nothing rejected to send again. */
  async resend(sellerBan: string, invoiceNumber: string, corrections: ResendCorrections): Promise<LifecycleStatus> {
    try {
      return await this.client.workflow.getHandle(invoiceWorkflowId(sellerBan, invoiceNumber)).executeUpdate(resendUpdate, { args: [corrections] });
    } catch (error) {
      throw refusalOf(error);
    }
  }
}
