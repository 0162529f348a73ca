import { DomainError } from '../domain-error';
import { taipeiIsoDay } from '../taipei-time';

/** Where a run stands; the API shows it as the run's state. */
export type ReconciliationStage =
  | 'computing' | 'draft' | 'refused' | 'held' | 'uploading' | 'sent' | 'accepted' | 'rejected' | 'checked' | 'nothing_to_report';

/** Who held a run, when and why: what an approve is refused with until the hold is released. */
export interface RunHold {
  by: string;
  at: string;
  reason: string;
}

export interface RunFacts {
  /** `yyyMM`. */
  period?: string;
  mode: 'report' | 'check';
  stage: ReconciliationStage;
  violations: number;
  /** An upload is delivered or accepted: the report is out. */
  reported: boolean;
  hold?: RunHold;
  /** The first instant (ISO) a report of the period may go out: the period has ended, Taipei time. */
  reportableFrom?: string;
  /** The workflow's clock, ISO. */
  now?: string;
}

const refuse = (code: string, message: string) => new DomainError('conflict', code, message);

/** A blank report of a period that has not ended would be false the moment a later number is issued. */
export function checkPeriodEnded(period: string, reportableFrom: Date, now: Date): void {
  if (now < reportableFrom) {
    throw refuse(
      'RECONCILIATION.PERIOD_NOT_ENDED',
      `period ${period} has not ended: its blank numbers can be reported from ${taipeiIsoDay(reportableFrom)} (Taipei); until then a run only checks`,
    );
  }
}

/** Finance may hold a report run until it is uploaded. */
export function checkHold(run: RunFacts): void {
  if (run.mode === 'check') throw refuse('RECONCILIATION.CHECK_ONLY', 'a mid-period check uploads nothing; there is nothing to hold');
  if (run.stage === 'nothing_to_report') throw refuse('RECONCILIATION.NOTHING_TO_REPORT', 'the period has no blank numbers: there is no E0402 to hold');
  if (run.reported || run.stage === 'uploading') throw refuse('RECONCILIATION.ALREADY_UPLOADED', 'the E0402 is already uploaded; rerun to compare instead');
}

/** Only a held run can be released. */
export function checkRelease(run: RunFacts): void {
  if (!run.hold) throw refuse('RECONCILIATION.NOT_HELD', 'the run is not held; there is nothing to release');
}

/** Approving uploads at once; a draft with violations, a held run, or a period still running is never uploaded. */
export function checkApprove(run: RunFacts): void {
  if (run.reportableFrom && run.now) checkPeriodEnded(run.period ?? '', new Date(run.reportableFrom), new Date(run.now));
  if (run.mode === 'check') throw refuse('RECONCILIATION.CHECK_ONLY', 'a mid-period check uploads nothing');
  if (run.stage === 'computing') throw refuse('RECONCILIATION.COMPUTING', 'the draft is still being computed');
  if (run.stage === 'nothing_to_report') {
    throw refuse('RECONCILIATION.NOTHING_TO_REPORT', 'the period has no blank numbers: there is no E0402 to upload and nothing to report to the MOF');
  }
  if (run.violations > 0) {
    throw refuse('RECONCILIATION.VIOLATIONS', `the draft breaks the invariant in ${run.violations} place(s); correct them and rerun before uploading`);
  }
  if (run.reported || run.stage === 'uploading') throw refuse('RECONCILIATION.ALREADY_UPLOADED', 'the E0402 is already uploaded');
  if (run.hold) {
    throw refuse('RECONCILIATION.HELD', `held by ${run.hold.by} at ${run.hold.at}: ${run.hold.reason}; release it (POST …/release) before approving`);
  }
}

export function checkRerun(run: RunFacts): void {
  if (run.stage === 'computing') throw refuse('RECONCILIATION.COMPUTING', 'a computation is already running');
  if (run.stage === 'uploading') throw refuse('RECONCILIATION.UPLOADING', 'the E0402 is being uploaded; rerun once its outcome is in');
}
