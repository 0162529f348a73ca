import { spawn } from 'node:child_process';

const STOP_GRACE_MS = 15_000;

export interface NodeProcess {
  pid: number;
  stop(): Promise<void>;
}

/** Node options for every process started apart, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` (not allowed in NODE_OPTIONS). */
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);

/**
 * `node <script>` with `env`, ready once a line of its output matches `ready`; its output is dropped (BENCH_VERBOSE=1
 * shows it) but the last lines are kept for the error if it dies first. `stop` sends SIGTERM and waits for the exit.
 */
export function startNodeProcess(name: string, script: string, env: Record<string, string>, ready: RegExp, timeoutMs = 120_000): Promise<NodeProcess> {
  const child = spawn(process.execPath, [...NODE_ARGS, script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lastLines: string[] = [];
  return new Promise<NodeProcess>((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${name} (${script}) ${why}; its last lines:\n${lastLines.join('\n')}`));
    };
    const timer = setTimeout(() => fail(`was not ready within ${timeoutMs / 1000} s`), timeoutMs);
    const exited = (code: number | null) => fail(`exited with code ${code}`);
    child.once('exit', exited);
    let isReady = false;
    const heard = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter((l) => l.trim())) {
        lastLines.push(line);
        if (lastLines.length > 20) lastLines.shift();
        if (process.env.BENCH_VERBOSE) console.error(`${name}: ${line}`);
        if (!isReady && ready.test(line)) {
          isReady = true;
          clearTimeout(timer);
          child.off('exit', exited);
          resolve({ pid: child.pid as number, stop: () => stopProcess() });
        }
      }
    };
    child.stdout.on('data', heard);
    child.stderr.on('data', heard);
  });

  function stopProcess(): Promise<void> {
    return new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const kill = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
}
