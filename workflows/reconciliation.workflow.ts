import { allHandlersFinished, condition, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import type { ReconciliationActivities } from '../activities/reconciliation.activities';
import { refusing } from '../libs/contracts/failures';
import {
  BlankChunk,
  ReconciliationAction,
  ReconciliationInput,
  ReconciliationStatus,
  approveUpdate,
  holdUpdate,
  reconciliationStatusQuery,
  releaseUpdate,
  rerunUpdate,
} from '../libs/contracts/reconciliation';
import { blankReportTimes } from '../libs/domain/blank/blank-report-calendar';
import { BlankPart, combineBlankParts } from '../libs/domain/blank/compute-blank-ranges';
import { DomainError } from '../libs/domain/domain-error';
import { parsePeriod } from '../libs/domain/period';
import { RunFacts, checkApprove, checkHold, checkRelease, checkRerun } from '../libs/domain/blank/reconciliation-rules';

/** Each step takes well under a second at 2,000 booklets; the timeout is how long a worker dying mid-step delays the run. */
const io = proxyActivities<ReconciliationActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * Polling Turnkey's log for the E0402 verdicts: one look per retry, spaced out to 10 seconds, so a verdict finance
 * waits for after approving shows within seconds of its arrival (a few looks a minute per run cost nothing).
 */
const polling = proxyActivities<ReconciliationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 1.5, maximumInterval: '10 seconds' },
});

/** Booklets per activity: progress moves in these steps, and each result stays far below Temporal's payload limit. */
export const BOOKLETS_PER_CHUNK = 250;

/**
 * The blank-number reconciliation of one seller and period. Computes the draft chunk by chunk (progress: booklets
 * done / total), stores it with one E0402 per invoice type and track, then waits: the Schedule's own run uploads
 * through Turnkey at the scheduled time unless finance holds it; any run uploads at once when finance approves it
 * (not while held, not before the period has ended); never while the invariant is broken.
 * Reruns replace the draft (after upload the service compares and raises a conflict). A mid-period check computes and
 * ends. The run takes reruns until `closeAt`.
 */
export async function reconciliation(input: ReconciliationInput): Promise<ReconciliationStatus> {
  const status: ReconciliationStatus = {
    stage: 'computing', progress: { done: 0, total: 0 }, draftVersion: 0, violations: 0, held: false, approved: false, uploads: 0, accepted: false,
  };
  let rerunsAsked = 0;
  let rerunsDone = 0;
  /** The reconciliation.held alert is raised once per hold that outlasts the scheduled upload time. */
  let heldAtUpload = false;
  const uploadAt = new Date(input.uploadAt).getTime();
  const closeAt = new Date(input.closeAt).getTime();
  const reportableFrom = blankReportTimes(parsePeriod(input.period)).reportableFrom.toISOString();
  const facts = (): RunFacts => ({
    period: input.period, mode: input.mode, stage: status.stage, violations: status.violations, reported: status.uploads > 0 && status.stage !== 'rejected',
    hold: status.hold, reportableFrom, now: new Date().toISOString(),
  });

  const { id, booklets, allocatedByMof } = await io.openRun(input);

  const compute = async (): Promise<void> => {
    status.stage = 'computing';
    status.progress = { done: 0, total: booklets };
    const parts: BlankPart[] = [];
    let after: BlankChunk['next'] = null;
    for (;;) {
      const chunk: BlankChunk = await io.computeChunk(id, after, BOOKLETS_PER_CHUNK);
      parts.push(chunk.part);
      status.progress.done += chunk.part.booklets;
      if (!chunk.next) break;
      after = chunk.next;
    }
    status.progress.total = Math.max(status.progress.total, status.progress.done);
    const stored = await io.storeDraft(id, combineBlankParts(parts, allocatedByMof));
    status.draftVersion = stored.version;
    status.violations = stored.violations;
    // A hold that came while computing stays shown, whichever of its record and the draft's was written first.
    status.stage = status.held && stored.stage === 'draft' ? 'held' : stored.stage;
  };

  const checkAction = (action: ReconciliationAction, rule: (run: RunFacts) => void) => {
    if (!action?.by) throw new DomainError('invalid', 'RECONCILIATION.WHO', 'an action names the staff member taking it');
    rule(facts());
  };

  setHandler(reconciliationStatusQuery, () => status);
  setHandler(
    holdUpdate,
    async ({ by, reason }: ReconciliationAction) => {
      status.held = true;
      status.hold = { by, at: new Date().toISOString(), reason: reason ?? '' };
      status.approved = false;
      await io.recordDecision(id, 'hold', by, reason);
      if (status.stage === 'draft') status.stage = 'held';
      if (!heldAtUpload && Date.now() >= uploadAt && patched('issue-22-held-alert')) {
        heldAtUpload = true;
        await io.raiseHeld(id);
      }
      return status;
    },
    {
      validator: (action: ReconciliationAction) =>
        refusing(() => {
          if (!action?.reason?.trim()) throw new DomainError('invalid', 'RECONCILIATION.REASON', 'a hold says why (reason)');
          checkAction(action, checkHold);
        }),
    },
  );
  setHandler(
    releaseUpdate,
    async ({ by }: ReconciliationAction) => {
      status.held = false;
      status.hold = undefined;
      heldAtUpload = false;
      await io.recordDecision(id, 'release', by);
      if (status.stage === 'held') status.stage = 'draft';
      return status;
    },
    { validator: (action: ReconciliationAction) => refusing(() => checkAction(action, checkRelease)) },
  );
  setHandler(
    approveUpdate,
    async ({ by }: ReconciliationAction) => {
      // Answers once the upload is handed to Turnkey, so the caller sees where it went. Counted before recording the
      // decision: the main loop starts the upload as soon as `approved` is set, while the decision is being recorded.
      const before = status.uploads;
      status.held = false;
      status.approved = true;
      await io.recordDecision(id, 'approve', by);
      await condition(() => !status.approved || (status.uploads > before && status.stage !== 'uploading'));
      return status;
    },
    { validator: (action: ReconciliationAction) => refusing(() => checkAction(action, checkApprove)) },
  );
  setHandler(
    rerunUpdate,
    async () => {
      const ticket = ++rerunsAsked;
      await condition(() => rerunsDone >= ticket);
      return status;
    },
    { validator: (action: ReconciliationAction) => refusing(() => checkAction(action, checkRerun)) },
  );

  await compute();
  if (input.mode === 'check') {
    await condition(allHandlersFinished);
    return status;
  }

  // As the legal deadline nears without an accepted report, finance hears of it.
  void (async () => {
    const wait = new Date(input.lateWarnAt).getTime() - Date.now();
    if (!(await condition(() => status.accepted, Math.max(wait, 1)))) await io.raiseLate(id, input.lateWarnAt);
  })();

  // Only the Schedule's own run uploads unattended; one a person started waits for a person's approve. Runs recorded
  // before this rule replay as they ran, as do those recorded before the flag (when a run went by its startedBy).
  const unattended = (input.scheduled ?? input.startedBy === 'schedule') || !patched('issue-22-person-run-waits');
  const mayUpload = () => status.violations === 0 && !facts().reported && status.stage !== 'computing' && status.stage !== 'nothing_to_report';
  const uploadDue = () => mayUpload() && (status.approved || (unattended && !status.held && Date.now() >= uploadAt));
  for (;;) {
    const next = Date.now() < uploadAt ? uploadAt : closeAt;
    await condition(() => rerunsAsked > rerunsDone || uploadDue(), Math.max(next - Date.now(), 1));
    if (status.held && !heldAtUpload && Date.now() >= uploadAt && !facts().reported && patched('issue-22-held-alert')) {
      heldAtUpload = true;
      await io.raiseHeld(id);
    }
    if (rerunsAsked > rerunsDone) {
      const target = rerunsAsked;
      await compute();
      rerunsDone = target;
      continue;
    }
    if (uploadDue()) {
      status.stage = 'uploading';
      status.uploads += 1;
      const { since } = await io.deliverReports(id, status.uploads);
      status.stage = 'sent';
      const outcome = await polling.awaitReportOutcomes(id, since);
      status.stage = outcome;
      status.accepted = outcome === 'accepted';
      status.approved = false;
      continue;
    }
    if (Date.now() >= closeAt) break;
  }
  await condition(allHandlersFinished);
  return status;
}

/** Started by the monthly Schedule on the 5th: starts each seller's run for the period it concerns. */
export async function scheduledReconciliations(): Promise<{ period: string; mode: string; started: string[]; skipped: string[] }> {
  return io.startScheduledRuns(new Date().toISOString());
}
