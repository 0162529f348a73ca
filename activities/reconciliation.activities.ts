import { BlankChunk, BlankDraft, ReconciliationInput, ReconciliationStage, reconciliationWorkflowId } from '../libs/contracts/reconciliation';
import { BookletKey, reconciliationInput, ReconciliationService, ReportOutcome } from '../libs/modules/reconciliation';
import { SellersService } from '../libs/modules/sellers';
import { WorkflowStarter } from '../libs/adapters/temporal/workflow-starter';
import { scheduledRunOf } from '../libs/domain';
import { notYet, permanentOnDomainError } from './errors';

export const REPORT_OUTCOME_PENDING = 'TURNKEY.E0402_OUTCOME_PENDING';

export interface ReconciliationActivityDeps {
  reconciliation: ReconciliationService;
  sellers: SellersService;
  starter: WorkflowStarter;
}

export const createReconciliationActivities = ({ reconciliation, sellers, starter }: ReconciliationActivityDeps) => ({
  async openRun(input: ReconciliationInput): Promise<{ id: string; booklets: number; allocatedByMof: number }> {
    return permanentOnDomainError(() => reconciliation.openRun(input, reconciliationWorkflowId(input.sellerBan, input.period, input.mode)));
  },

  async computeChunk(id: string, after: BookletKey | null, limit: number): Promise<BlankChunk> {
    return permanentOnDomainError(() => reconciliation.computeChunk(id, after, limit));
  },

  async storeDraft(id: string, draft: BlankDraft): Promise<{ version: number; stage: ReconciliationStage; violations: number }> {
    return permanentOnDomainError(() => reconciliation.storeDraft(id, draft));
  },

  async recordDecision(id: string, decision: 'hold' | 'release' | 'approve', by: string, reason?: string): Promise<void> {
    return permanentOnDomainError(() => reconciliation.recordDecision(id, decision, by, reason));
  },

  /** The scheduled upload time passed while the run is held. */
  async raiseHeld(id: string): Promise<void> {
    return reconciliation.raiseHeld(id);
  },

  async deliverReports(id: string, attempt: number): Promise<{ since: string; reports: number }> {
    return permanentOnDomainError(() => reconciliation.deliverReports(id, attempt));
  },

  /** One look at Turnkey's log; while a verdict is missing it fails retryably and the retry policy paces the polling. */
  async awaitReportOutcomes(id: string, since: string): Promise<Exclude<ReportOutcome, 'pending'>> {
    const outcome = await reconciliation.checkReportOutcomes(id, since);
    if (outcome === 'pending') throw notYet(REPORT_OUTCOME_PENDING, `no platform result yet for every E0402 of ${id}`);
    return outcome;
  },

  async raiseLate(id: string, legalDueAt: string): Promise<void> {
    return reconciliation.raiseLate(id, legalDueAt);
  },

  /**
   * The monthly run on the 5th: for every seller reporting blank numbers, the period just closed (odd month) or a
   * mid-period check (even month). Starting is idempotent, so a retried activity starts nothing twice.
   */
  async startScheduledRuns(at: string): Promise<{ period: string; mode: string; started: string[]; skipped: string[] }> {
    const { period, mode } = scheduledRunOf(new Date(at));
    const all = await sellers.listSellers();
    const started: string[] = [];
    for (const seller of all.filter((s) => s.blankReporting)) {
      await starter.startReconciliation(reconciliationWorkflowId(seller.ban, period.code, mode), reconciliationInput(seller.ban, period, mode, 'schedule', true));
      started.push(seller.ban);
    }
    return { period: period.code, mode, started, skipped: all.filter((s) => !s.blankReporting).map((s) => s.ban) };
  },
});

export type ReconciliationActivities = ReturnType<typeof createReconciliationActivities>;
