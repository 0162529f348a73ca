import { ReconciliationControl, ReconciliationDecision } from '../../adapters/temporal/reconciliation-control';
import { ReconciliationAction, ReconciliationInput, ReconciliationMode, ReconciliationStatus, reconciliationWorkflowId } from '../../contracts/reconciliation';
import { Clock } from '../../adapters/clock/clock';
import { DomainError, Period, blankReportTimes, checkPeriodEnded, parsePeriod } from '../../domain';
import { WorkflowStarter } from '../../adapters/temporal/workflow-starter';
import { SellersService } from '../sellers';
import { ReconciliationsRepository } from './reconciliations.repository';

/** A run takes reruns for two months after its legal deadline; later corrections start from a new run. */
const OPEN_AFTER_DEADLINE_MS = 60 * 24 * 3600 * 1000;

/** A run's input; `scheduled` only for the Schedule's own run, the one that uploads unattended. */
export function reconciliationInput(sellerBan: string, period: Period, mode: ReconciliationMode, startedBy: string, scheduled = false): ReconciliationInput {
  const times = blankReportTimes(period);
  return {
    sellerBan, period: period.code, mode, startedBy, scheduled,
    uploadAt: times.uploadAt.toISOString(),
    lateWarnAt: times.lateWarnAt.toISOString(),
    closeAt: new Date(times.legalDueAt.getTime() + OPEN_AFTER_DEADLINE_MS).toISOString(),
  };
}

/**
 * Finance's handle on the runs: start one (the record first, so it can be read at once; then its workflow, by id,
 * so a second start finds the first), read its progress, and hold / release / approve / rerun it as workflow Updates.
 */
export class ReconciliationRuns {
  constructor(
    private readonly control: ReconciliationControl,
    private readonly starter: WorkflowStarter,
    private readonly sellers: SellersService,
    private readonly runs: ReconciliationsRepository,
    private readonly clock: Clock,
  ) {}

  /** A period that has not ended yet (Taipei time) gets a check: its ranges shown, nothing uploaded. */
  async start(sellerBan: string, periodText: string, startedBy: string): Promise<{ workflowId: string; period: string; mode: ReconciliationMode; created: boolean }> {
    const seller = await this.sellers.getSeller(sellerBan);
    const period = parsePeriod(periodText, 'period');
    const mode: ReconciliationMode = this.clock.now() < blankReportTimes(period).reportableFrom ? 'check' : 'report';
    if (!seller.blankReporting && mode === 'report') {
      throw new DomainError('conflict', 'RECONCILIATION.REPORTING_OFF', `blank reporting is switched off for seller ${sellerBan} (another system reports)`);
    }
    const input = reconciliationInput(sellerBan, period, mode, startedBy);
    const workflowId = reconciliationWorkflowId(sellerBan, period.code, mode);
    const { created } = await this.runs.open({ sellerId: seller.id, period: period.code, mode, workflowId, startedBy, uploadAt: mode === 'report' ? new Date(input.uploadAt) : null });
    await this.starter.startReconciliation(workflowId, input);
    return { workflowId, period: period.code, mode, created };
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

  release(sellerBan: string, period: string, action: ReconciliationAction) {
    return this.update(sellerBan, period, 'release', action);
  }

  /** Refused at once, before asking the workflow, while the period is still running. */
  approve(sellerBan: string, periodText: string, action: ReconciliationAction) {
    const period = parsePeriod(periodText, 'period');
    checkPeriodEnded(period.code, blankReportTimes(period).reportableFrom, this.clock.now());
    return this.update(sellerBan, periodText, 'approve', action);
  }

  rerun(sellerBan: string, period: string, action: ReconciliationAction) {
    return this.update(sellerBan, period, 'rerun', action);
  }

  /** Steers the period's report run, else its check (which refuses what a check cannot do, in words). */
  private async update(sellerBan: string, periodText: string, decision: ReconciliationDecision, action: ReconciliationAction): Promise<ReconciliationStatus> {
    const seller = await this.sellers.getSeller(sellerBan);
    const period = parsePeriod(periodText, 'period').code;
    const run = await this.runs.findOfPeriod(seller.id, period);
    if (run?.mode === 'check') {
      throw new DomainError('conflict', 'RECONCILIATION.CHECK_ONLY', `the run of period ${period} is a check (the period had not ended when it started): it uploads nothing; start it again to recompute`);
    }
    return this.control.decide(run?.workflowId ?? reconciliationWorkflowId(sellerBan, period), decision, action, `no running reconciliation of period ${period} for seller ${sellerBan}; start one with POST`);
  }
}
