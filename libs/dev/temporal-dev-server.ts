import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { findOrBuildTemporalCli } from './temporal-cli';

const STOP_GRACE_MS = 3000;

export interface TemporalDevServer {
  address: string;
  uiUrl: string;
  /** The server process (the CLI runs the server in itself): what a benchmark reads its CPU time from. */
  pid: number;
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
      // One server and one worker: a task queue's default 4 partitions only add forwarding between them, and a task
      // left in a partition no poller is on waits out a poller's 60 s long poll (seen as minute-long stalls).
      '--dynamic-config-value', 'matching.numTaskqueueReadPartitions=1',
      '--dynamic-config-value', 'matching.numTaskqueueWritePartitions=1',
      // SQLite's rollback journal with synchronous=FULL fsyncs every transaction in turn on the server's one
      // connection; the write-ahead log with NORMAL keeps the file consistent and loses at most the last commits of a
      // machine crash — acceptable for a dev server whose history is a convenience.
      '--sqlite-pragma', 'journal_mode=wal',
      '--sqlite-pragma', 'synchronous=normal',
      // The CLI turns this on for tests of custom search attributes; it reads the database under a lock on every
      // search-attribute upsert (a patch marker's TemporalChangeVersion). This service registers none.
      '--dynamic-config-value', 'system.forceSearchAttributesCacheRefreshOnRead=false',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stopping = false;
  child.stderr?.on('data', (chunk: Buffer) => {
    // Its shutdown chatter (workers failing to poll a server going down) is noise, not news.
    if (stopping) return;
    for (const line of chunk.toString().split('\n')) if (line.trim()) log(`temporal: ${line.trim()}`);
  });
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
    pid: child.pid as number,
    stop: () =>
      new Promise<void>((resolve) => {
        stopping = true;
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        // The dev server drains its internal workers for ~10 s; its SQLite file is crash-safe, so cut that short.
        const kill = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
