import { Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { UpdateDefinition } from '@temporalio/common';
import { domainErrorOf } from '../../contracts/failures';
import {
  ReconciliationAction,
  ReconciliationInput,
  ReconciliationMode,
  ReconciliationStatus,
  approveUpdate,
  holdUpdate,
  reconciliationStatusQuery,
  reconciliationWorkflowId,
  rerunUpdate,
} from '../../contracts/reconciliation';
import { DomainError, Period, blankReportTimes, parsePeriod } from '../../domain';
import { WorkflowStarter } from '../../adapters/temporal/workflow-starter';
import { SellersService } from '../sellers/sellers.service';
import { ReconciliationsRepository } from './reconciliations.repository';

/** A run takes reruns for two months after its legal deadline; later corrections start from a new run. */
const OPEN_AFTER_DEADLINE_MS = 60 * 24 * 3600 * 1000;

export function reconciliationInput(sellerBan: string, period: Period, mode: ReconciliationMode, startedBy: string): ReconciliationInput {
  const times = blankReportTimes(period);
  return {
    sellerBan, period: period.code, mode, startedBy,
    uploadAt: times.uploadAt.toISOString(),
    lateWarnAt: times.lateWarnAt.toISOString(),
    closeAt: new Date(times.legalDueAt.getTime() + OPEN_AFTER_DEADLINE_MS).toISOString(),
  };
}

/**
 * Finance's handle on the runs: start one (the record first, so it can be read at once; then its workflow, by id,
 * so a second start finds the first), read its progress, and hold / approve / rerun it as workflow Updates.
 */
export class ReconciliationRuns {
  constructor(
    private readonly client: Client,
    private readonly starter: WorkflowStarter,
    private readonly sellers: SellersService,
    private readonly runs: ReconciliationsRepository,
  ) {}

  async start(sellerBan: string, periodText: string, startedBy: string, mode: ReconciliationMode = 'report'): Promise<{ workflowId: string; period: string; created: boolean }> {
    const seller = await this.sellers.getSeller(sellerBan);
    if (!seller.blankReporting && mode === 'report') {
      throw new DomainError('conflict', 'RECONCILIATION.REPORTING_OFF', `blank reporting is switched off for seller ${sellerBan} (another system reports)`);
    }
    const period = parsePeriod(periodText, 'period');
    const input = reconciliationInput(sellerBan, period, mode, startedBy);
    const workflowId = reconciliationWorkflowId(sellerBan, period.code, mode);
    const before = await this.runs.findOfPeriod(seller.id, period.code);
    await this.runs.open({ sellerId: seller.id, period: period.code, mode, workflowId, startedBy, uploadAt: mode === 'report' ? new Date(input.uploadAt) : null });
    await this.starter.startReconciliation(workflowId, input);
    return { workflowId, period: period.code, created: !before || before.mode !== mode };
  }

  /** The workflow's own view (progress and the decisions it holds); undefined once it has ended or before it runs. */
  async status(workflowId: string): Promise<ReconciliationStatus | undefined> {
    try {
      return await this.client.workflow.getHandle(workflowId).query(reconciliationStatusQuery);
    } catch {
      return undefined;
    }
  }

  hold(sellerBan: string, period: string, action: ReconciliationAction) {
    return this.update(sellerBan, period, holdUpdate, action);
  }

  approve(sellerBan: string, period: string, action: ReconciliationAction) {
    return this.update(sellerBan, period, approveUpdate, action);
  }

  rerun(sellerBan: string, period: string, action: ReconciliationAction) {
    return this.update(sellerBan, period, rerunUpdate, action);
  }

  private async update(sellerBan: string, periodText: string, update: UpdateDefinition<ReconciliationStatus, [ReconciliationAction]>, action: ReconciliationAction): Promise<ReconciliationStatus> {
    await this.sellers.getSeller(sellerBan);
    const period = parsePeriod(periodText, 'period').code;
    try {
      return await this.client.workflow.getHandle(reconciliationWorkflowId(sellerBan, period)).executeUpdate(update, { args: [action] });
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) {
        throw new DomainError('not_found', 'RECONCILIATION.NOT_RUNNING', `no running reconciliation of period ${period} for seller ${sellerBan}; start one with POST`);
      }
      throw (error instanceof WorkflowUpdateFailedError && domainErrorOf(error.cause)) || error;
    }
  }
}
