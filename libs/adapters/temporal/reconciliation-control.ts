import { Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { domainErrorOf } from '../../contracts/failures';
import { ReconciliationAction, ReconciliationStatus, approveUpdate, holdUpdate, reconciliationStatusQuery, releaseUpdate, rerunUpdate } from '../../contracts/reconciliation';
import { DomainError } from '../../domain';

const UPDATES = { hold: holdUpdate, release: releaseUpdate, approve: approveUpdate, rerun: rerunUpdate };
export type ReconciliationDecision = keyof typeof UPDATES;

/**
 * The port through which the reconciliation module reads and steers a run's workflow. Refusals come back as the
 * domain errors the workflow raised, a run that is not running as RECONCILIATION.NOT_RUNNING.
 */
export class ReconciliationControl {
  constructor(private readonly client: Client) {}

  /** The workflow's own view (progress and the decisions it holds); undefined once it has ended or before it runs. */
  async status(workflowId: string): Promise<ReconciliationStatus | undefined> {
    try {
      return await this.client.workflow.getHandle(workflowId).query(reconciliationStatusQuery);
    } catch {
      return undefined;
    }
  }

  /** `notRunning` names the run in the refusal's words, as finance would look for it. */
  async decide(workflowId: string, decision: ReconciliationDecision, action: ReconciliationAction, notRunning: string): Promise<ReconciliationStatus> {
    try {
      return await this.client.workflow.getHandle(workflowId).executeUpdate(UPDATES[decision], { args: [action] });
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new DomainError('not_found', 'RECONCILIATION.NOT_RUNNING', notRunning);
      throw (error instanceof WorkflowUpdateFailedError && domainErrorOf(error.cause)) || error;
    }
  }
}
