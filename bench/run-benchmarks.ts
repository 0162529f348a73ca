import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * `npm run bench`: every benchmark of bench/, one after another, each in a process of its own (so one's memory and
 * event loop do not weigh on the next). BENCH_ONLY=allocation,preview runs a subset; sizes come from each one's
 * BENCH_* variables. Exit code 1 when any failed.
 */
const BENCHMARKS = ['allocation', 'preview', 'issuing', 'deadlines', 'search', 'reconciliation', 'proofs', 'media-file'];

const only = process.env.BENCH_ONLY?.split(',').map((name) => name.trim());
const failed: string[] = [];
for (const name of BENCHMARKS.filter((b) => !only || only.includes(b))) {
  console.log(`\n===== ${name}.bench =====`);
  const result = spawnSync(process.execPath, [join(__dirname, `${name}.bench.js`)], { stdio: 'inherit' });
  if (result.status !== 0) failed.push(name);
}
if (failed.length > 0) {
  console.error(`\nfailed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
