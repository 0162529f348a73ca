import { NativeConnection, Worker } from '@temporalio/worker';

export const bareActivities = {
  async noop(): Promise<void> {},
};
export type BareActivities = typeof bareActivities;

export const BARE_LIFECYCLE = 'benchBareLifecycle';

export interface BareWorker {
  stop(): Promise<void>;
}

/**
 * A Worker for the bare lifecycle with the settings apps/worker uses (the SDK's defaults), its small workflow file
 * bundled at start as ours is.
 */
export async function startBareWorker(address: string, namespace: string, taskQueue: string): Promise<BareWorker> {
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection,
    namespace,
    taskQueue,
    workflowsPath: require.resolve('./bare-lifecycle.workflow'),
    activities: bareActivities,
  });
  const running = worker.run();
  return {
    stop: async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await connection.close();
    },
  };
}

/** The bare lifecycle's worker as a process of its own (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, BARE_TASK_QUEUE). */
if (require.main === module) {
  startBareWorker(process.env.TEMPORAL_ADDRESS!, process.env.TEMPORAL_NAMESPACE ?? 'default', process.env.BARE_TASK_QUEUE!).then(
    (worker) => {
      process.once('SIGTERM', () => void worker.stop().then(() => process.exit(0)));
      console.log('bare worker ready');
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
