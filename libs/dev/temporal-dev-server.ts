import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { findOrBuildTemporalCli } from './temporal-cli';

export interface TemporalDevServer {
  address: string;
  uiUrl: string;
  stop(): Promise<void>;
}

async function waitUntilServing(address: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the Temporal dev server exited with code ${child.exitCode}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.describeNamespace({ namespace: 'default' });
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error(`the Temporal dev server did not answer on ${address} within ${timeoutMs / 1000} s: ${lastError}`);
}

/** `temporal server start-dev` with its history kept in `<dataDir>/temporal.db`, for running without TEMPORAL_ADDRESS. */
export async function startTemporalDevServer(
  dataDir: string,
  ports: { port: number; uiPort: number },
  log: (line: string) => void,
): Promise<TemporalDevServer> {
  const cli = findOrBuildTemporalCli(log);
  mkdirSync(dataDir, { recursive: true });
  const child = spawn(
    cli,
    [
      'server', 'start-dev',
      '--ip', '127.0.0.1',
      '--port', String(ports.port),
      '--ui-port', String(ports.uiPort),
      '--db-filename', join(dataDir, 'temporal.db'),
      '--log-level', 'warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr?.on('data', (chunk: Buffer) => log(`temporal: ${chunk.toString().trim()}`));
  const address = `127.0.0.1:${ports.port}`;
  try {
    await waitUntilServing(address, child, 60_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    address,
    uiUrl: `http://127.0.0.1:${ports.uiPort}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
