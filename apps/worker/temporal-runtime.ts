import { Logger } from '@nestjs/common';
import { ApplicationFailure } from '@temporalio/common';
import { DefaultLogger, LogEntry, Runtime } from '@temporalio/worker';
import { OUTCOME_PENDING } from '../../activities/invoice.activities';

/** "No verdict yet" is how the lifecycle polls Turnkey, not a fault: it would flood the log at WARN. */
function isPendingPoll(entry: LogEntry): boolean {
  const error = entry.meta?.error;
  return error instanceof ApplicationFailure && error.type === OUTCOME_PENDING;
}

/** Routes the SDK's own log lines into the app's logger; the runtime is process-wide, so only the first call counts. */
export function installTemporalRuntimeLogging(): void {
  if (Runtime._instance) return;
  const logger = new Logger('Temporal');
  Runtime.install({
    logger: new DefaultLogger('INFO', (entry) => {
      if (isPendingPoll(entry)) return;
      const { state, taskQueue, workflowId, error } = (entry.meta ?? {}) as Record<string, unknown>;
      const context = [state && `state ${state}`, taskQueue && `task queue ${taskQueue}`, workflowId && `workflow ${workflowId}`].filter(Boolean);
      const text = `${entry.message}${context.length > 0 ? ` (${context.join(', ')})` : ''}${error ? `: ${error}` : ''}`;
      if (entry.level === 'ERROR') logger.error(text);
      else if (entry.level === 'WARN') logger.warn(text);
      else logger.log(text);
    }),
  });
}
