import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TestStack } from './test-stack';

export const WORKER_MAIN = join(__dirname, '..', '..', 'dist/apps/worker/main.js');

/** The worker as operations run it: its own process (the built one), which a test can kill without warning. */
export function startWorkerProcess(stack: TestStack): ChildProcess {
  if (!existsSync(WORKER_MAIN)) throw new Error(`${WORKER_MAIN} is missing: run npm run build (npm test does)`);
  const child = spawn(process.execPath, [WORKER_MAIN], {
    env: {
      ...process.env,
      DATABASE_URL: stack.db.url,
      TEMPORAL_ADDRESS: stack.config.temporal.address,
      TEMPORAL_TASK_QUEUE: stack.config.temporal.taskQueue,
      TEMPORAL_NAMESPACE: stack.config.temporal.namespace,
      CREDENTIALS_KEY: stack.config.credentialsKey!.toString('base64'),
      TURNKEY_DIR: stack.turnkeyDir,
      LOG_FORMAT: 'json',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr!.on('data', () => undefined);
  return child;
}

/** SIGKILL, resolved once the process is gone. */
export async function killWorkerProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}
