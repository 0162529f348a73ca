import { ReconciliationControl, ReconciliationDecision } from '../../adapters/temporal/reconciliation-control';
import { ReconciliationAction, ReconciliationInput, ReconciliationMode, ReconciliationStatus, reconciliationWorkflowId } from '../../contracts/reconciliation';
import { DomainError, Period, blankReportTimes, parsePeriod } from '../../domain';
import { WorkflowStarter } from '../../adapters/temporal/workflow-starter';
import { SellersService } from '../sellers';
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
    private readonly control: ReconciliationControl,
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
    return this.control.status(workflowId);
  }

  /**
   * Runs still working and those changed in the last `hours` hours, for the dashboard; a run computing its ranges
   * reports its progress by workflow query, the others by their record.
   */
  async recent(since: Date, limit = 20) {
    const runs = await this.runs.recent(since, limit);
    return Promise.all(
      runs.map(async (run) => {
        const status = run.stage === 'computing' ? await this.status(run.workflowId) : undefined;
        const booklets = run.totals?.booklets ?? 0;
        return {
          sellerBan: run.sellerBan, period: run.period, mode: run.mode, state: status?.stage ?? run.stage,
          progress: status?.progress ?? { done: run.totals ? booklets : 0, total: booklets },
          violations: run.violations.length, heldBy: run.heldBy, approvedBy: run.approvedBy, updatedAt: run.updatedAt, acceptedAt: run.acceptedAt,
        };
      }),
    );
  }

  hold(sellerBan: string, period: string, action: ReconciliationAction) {
    return this.update(sellerBan, period, 'hold', action);
  }

  approve(sellerBan: string, period: string, action: ReconciliationAction) {
    return this.update(sellerBan, period, 'approve', action);
  }

  rerun(sellerBan: string, period: string, action: ReconciliationAction) {
    return this.update(sellerBan, period, 'rerun', action);
  }

  private async update(sellerBan: string, periodText: string, decision: ReconciliationDecision, action: ReconciliationAction): Promise<ReconciliationStatus> {
    await this.sellers.getSeller(sellerBan);
    const period = parsePeriod(periodText, 'period').code;
    return this.control.decide(reconciliationWorkflowId(sellerBan, period), decision, action, `no running reconciliation of period ${period} for seller ${sellerBan}; start one with POST`);
  }
}
