import ExcelJS from 'exceljs';
import { execFileSync } from 'node:child_process';
import { readOrderWorkbook } from '../libs/adapters/excel/order-sheet.reader';
import { Figure, median, printFigures, sizeFromEnv } from './support/bench-report';
import { b2cRow, orderWorkbook } from '../libs/dev/fixtures';

/**
 * The order workbook preview's reader (`readOrderWorkbook`: load, header and formula checks, every cell parsed and
 * assembled into orders) against a bare exceljs load of the same file, which is the floor any reader built on
 * exceljs pays. Each side runs in a fresh node process, so its peak RSS is its own.
 *
 *   BENCH_PREVIEW_ROWS (default "300,10000"), BENCH_RUNS (default 5: median of that many loads per side)
 */
type Side = 'project' | 'baseline';

async function runSide(side: Side, rows: number, runs: number): Promise<{ ms: number; peakMb: number }> {
  const content = await orderWorkbook(Array.from({ length: rows }, (_, i) => b2cRow(`PV-${String(i).padStart(6, '0')}`)));
  const baselineRss = process.memoryUsage().rss;
  let peak = baselineRss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    if (side === 'project') {
      const result = await readOrderWorkbook(content, { maxRows: rows });
      if (result.orders.length !== rows) throw new Error(`expected ${rows} orders, read ${result.orders.length}: ${JSON.stringify(result.errors.slice(0, 3))}`);
    } else {
      await new ExcelJS.Workbook().xlsx.load(content as unknown as ArrayBuffer);
    }
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  clearInterval(sampler);
  return { ms: median(times), peakMb: (peak - baselineRss) / 1024 / 1024 };
}

function child(side: Side, rows: number, runs: number): { ms: number; peakMb: number } {
  const out = execFileSync(process.execPath, [__filename, 'child', side, String(rows), String(runs)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop()!);
}

async function main(): Promise<void> {
  if (process.argv[2] === 'child') {
    const result = await runSide(process.argv[3] as Side, Number(process.argv[4]), Number(process.argv[5]));
    console.log(JSON.stringify(result));
    return;
  }
  const sizes = (process.env.BENCH_PREVIEW_ROWS ?? '300,10000').split(',').map((s) => Number(s.trim()));
  const runs = sizeFromEnv('BENCH_RUNS', 5);
  const figures: Figure[] = [];
  for (const rows of sizes) {
    const baseline = child('baseline', rows, runs);
    const project = child('project', rows, runs);
    figures.push({ name: `preview ${rows.toLocaleString('en')} rows: time`, unit: 'ms, ratio = project / bare load (lower is better)', project: project.ms, baseline: baseline.ms });
    figures.push({ name: `preview ${rows.toLocaleString('en')} rows: peak RSS growth`, unit: 'MB, ratio = project / bare load', project: project.peakMb, baseline: baseline.peakMb });
  }
  printFigures(`workbook preview (median of ${runs} loads per side, each side in its own process)`, figures);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
