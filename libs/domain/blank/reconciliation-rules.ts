import { DomainError } from '../domain-error';

/** Where a run stands; the API shows it as the run's state. */
export type ReconciliationStage = 'computing' | 'draft' | 'refused' | 'held' | 'uploading' | 'sent' | 'accepted' | 'rejected' | 'checked';

export interface RunFacts {
  mode: 'report' | 'check';
  stage: ReconciliationStage;
  violations: number;
  /** An upload is delivered or accepted: the report is out. */
  reported: boolean;
}

const refuse = (code: string, message: string) => new DomainError('conflict', code, message);

/** Finance may hold a report run until it is uploaded. */
export function checkHold(run: RunFacts): void {
  if (run.mode === 'check') throw refuse('RECONCILIATION.CHECK_ONLY', 'a mid-period check uploads nothing; there is nothing to hold');
  if (run.reported || run.stage === 'uploading') throw refuse('RECONCILIATION.ALREADY_UPLOADED', 'the E0402 is already uploaded; rerun to compare instead');
}

/** Approving uploads at once; a draft with violations is never uploaded. */
export function checkApprove(run: RunFacts): void {
  if (run.mode === 'check') throw refuse('RECONCILIATION.CHECK_ONLY', 'a mid-period check uploads nothing');
  if (run.stage === 'computing') throw refuse('RECONCILIATION.COMPUTING', 'the draft is still being computed');
  if (run.violations > 0) {
    throw refuse('RECONCILIATION.VIOLATIONS', `the draft breaks the invariant in ${run.violations} place(s); correct them and rerun before uploading`);
  }
  if (run.reported || run.stage === 'uploading') throw refuse('RECONCILIATION.ALREADY_UPLOADED', 'the E0402 is already uploaded');
}

export function checkRerun(run: RunFacts): void {
  if (run.stage === 'computing') throw refuse('RECONCILIATION.COMPUTING', 'a computation is already running');
  if (run.stage === 'uploading') throw refuse('RECONCILIATION.UPLOADING', 'the E0402 is being uploaded; rerun once its outcome is in');
}
