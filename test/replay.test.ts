import { Worker, WorkflowBundleWithSourceMap, bundleWorkflowCode } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJson } from './histories/history-json';
import { HISTORIES_DIR, HISTORY_FILES, historiesToRecord, recordHistories, reorderFirstActivities } from './histories/record-histories';
import { startTestStack } from './support/test-stack';

/**
 * Replays the committed workflow histories against the current workflow code: a change to a workflow that would
 * break the executions already running in production fails here (and needs `patched()`). With RECORD_HISTORIES=1 the
 * histories are first recorded afresh on a real stack (see test/histories/README.md).
 */
const RECORD = historiesToRecord(process.env.RECORD_HISTORIES);
const CHANGED = HISTORY_FILES.changed;

/** Every committed history but the deliberately changed one, plus the ones the recorder is known to write. */
const replayable = [
  ...new Set([
    ...Object.values(HISTORY_FILES).filter((file) => file !== CHANGED),
    ...readdirSync(HISTORIES_DIR).filter((file) => file.endsWith('.json') && file !== CHANGED),
  ]),
].sort();

/** Silences webpack's progress chatter; its warnings and errors still surface. */
const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string, meta?: Record<string, unknown>) => console.warn(message, meta ?? ''),
  error: (message: string, meta?: Record<string, unknown>) => console.error(message, meta ?? ''),
};

const readJson = (file: string) => JSON.parse(readFileSync(join(HISTORIES_DIR, file), 'utf8'));

describe('replaying recorded workflow histories against the current workflow code', () => {
  /** One webpack bundle of workflows/ for every replay, built as the worker builds it. */
  let workflowBundle: WorkflowBundleWithSourceMap;
  const replay = (file: string) =>
    Worker.runReplayHistory({ workflowBundle }, historyFromJson(readJson(file)), `replay:${file}`);

  beforeAll(async () => {
    if (RECORD !== false) {
      // The longest quick-verdict wait, so a loaded machine's simulator still answers within it.
      const stack = await startTestStack({ env: { TURNKEY_QUICK_VERDICT_MS: '5000' } });
      try {
        await recordHistories(stack, undefined, RECORD);
      } finally {
        await stack.close();
      }
    }
    workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: quietLogger });
  }, 300_000);

  it.each(replayable)('replays %s without a determinism violation', async (file) => {
    await expect(replay(file)).resolves.toBeUndefined();
  });

  it('has the activity, timer and update events the scenarios are meant to cover', () => {
    const types = (file: string) => new Set<string>(readJson(file).events.map((e: { eventType: string }) => e.eventType));
    const activities = (file: string) =>
      readJson(file)
        .events.filter((e: { eventType: string }) => e.eventType === 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED')
        .map((e: { activityTaskScheduledEventAttributes: { activityType: { name: string } } }) => e.activityTaskScheduledEventAttributes.activityType.name);

    expect(activities(HISTORY_FILES.accepted)).toEqual(expect.arrayContaining(['notifyBuyer', 'deliverMessage', 'checkOutcome']));
    expect(types(HISTORY_FILES.rejectedResent)).toContain('EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED');
    expect(activities(HISTORY_FILES.rejectedResent).filter((name: string) => name === 'deliverMessage')).toHaveLength(2);
    expect(activities(HISTORY_FILES.rejectedResent)).toContain('applyCorrections');
    expect(types(HISTORY_FILES.overdue)).toContain('EVENT_TYPE_TIMER_FIRED');
    expect(types(HISTORY_FILES.resumedAllowance)).toContain('EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED');
    expect(activities(HISTORY_FILES.resumedAllowance)).toEqual(['recordAllowance', 'deliverMessage', 'checkOutcome']);
    expect(activities(HISTORY_FILES.overdue).filter((name: string) => name === 'markDeadline')).toHaveLength(2);
    expect(activities(HISTORY_FILES.orderImport)).toEqual(['issueNextChunk', 'startImportedLifecycles', 'issueNextChunk', 'finishImport']);
    expect(types(HISTORY_FILES.orderReturned)).toContain('EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED');
    expect(activities(HISTORY_FILES.orderReturned)).toEqual(['loadOrder', 'saveOrder', 'enterOrderAllowance', 'saveOrder']);
    // The quick verdict: delivery and verdict are local activities (markers) behind the patch; only the notice is a task.
    const markers = (file: string) =>
      readJson(file)
        .events.filter((e: { eventType: string }) => e.eventType === 'EVENT_TYPE_MARKER_RECORDED')
        .map((e: { markerRecordedEventAttributes: { markerName: string; details: Record<string, { payloads: { data: string }[] }> } }) => {
          const { markerName, details } = e.markerRecordedEventAttributes;
          return markerName === 'core_patch' ? `patch ${JSON.parse(Buffer.from(details['patch-data'].payloads[0].data, 'base64').toString()).id}` : markerName;
        });
    expect(markers(HISTORY_FILES.quickVerdict)).toEqual(['patch await-verdict-in-workflow-task', 'core_local_activity', 'core_local_activity']);
    expect(activities(HISTORY_FILES.quickVerdict)).toEqual(['notifyBuyer']);
    // The pipelined import: the next chunk is issued in the workflow task that starts the last one, before it ends.
    expect(markers(HISTORY_FILES.pipelinedImport)).toEqual(['patch issue-while-starting']);
    expect(activities(HISTORY_FILES.pipelinedImport)).toEqual(['issueChunk', 'startChunk', 'issueChunk', 'finishImport']);
    const importEvents: { eventId: string; eventType: string; activityTaskCompletedEventAttributes?: { scheduledEventId: string } }[] = readJson(HISTORY_FILES.pipelinedImport).events;
    const [, startChunk, secondIssue] = importEvents.filter((e) => e.eventType === 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED');
    const startChunkDone = importEvents.find((e) => e.activityTaskCompletedEventAttributes?.scheduledEventId === startChunk.eventId)!;
    expect(Number(secondIssue.eventId)).toBeLessThan(Number(startChunkDone.eventId));
    for (const file of replayable) expect(types(file)).toContain('EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED');
  });

  describe('the deliberately changed history', () => {
    it('is the accepted history with its first two scheduled activities swapped, and nothing else', () => {
      expect(readJson(CHANGED)).toEqual(reorderFirstActivities(readJson(HISTORY_FILES.accepted)));
    });

    it('fails replay with a DeterminismViolationError: reordering the activities a workflow schedules is caught', async () => {
      const error = await replay(CHANGED).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DeterminismViolationError);
      expect((error as Error).message).toMatch(/nondeterminism/i);
      expect((error as Error).message).toContain('notifyBuyer');
    });
  });
});
