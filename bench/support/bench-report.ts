/** What every benchmark prints: the project's figure, its baseline from the same run, and their ratio. */
export interface Figure {
  name: string;
  unit: string;
  project: number;
  baseline: number;
  /** How the ratio reads: `project / baseline` for rates (higher is better), `project / baseline` for times too. */
  note?: string;
}

export const median = (values: number[]) => percentile(values, 50);

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const num = (value: number) => (Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2));

/** One table per benchmark, and a `BENCH-FIGURE` JSON line per row that `run-benchmarks` collects. */
export function printFigures(title: string, figures: Figure[]): void {
  console.log(`\n${title}`);
  console.log(`${'measure'.padEnd(56)} ${'project'.padStart(10)} ${'baseline'.padStart(10)} ${'ratio'.padStart(7)}  unit`);
  for (const f of figures) {
    console.log(`${f.name.padEnd(56)} ${num(f.project).padStart(10)} ${num(f.baseline).padStart(10)} ${(f.project / f.baseline).toFixed(2).padStart(7)}  ${f.unit}${f.note ? ` (${f.note})` : ''}`);
  }
  for (const f of figures) console.log(`BENCH-FIGURE ${JSON.stringify({ bench: title, ...f, ratio: f.project / f.baseline })}`);
}

/** Integer environment knob: sizes are reduced this way while developing; the defaults are the full run. */
export function sizeFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new Error(`${name} must be a whole number, got ${JSON.stringify(raw)}`);
  return Number(raw);
}

/** Runs `work` over `items` with at most `concurrency` in flight; resolves once all are done. */
export async function inParallel<T>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index], index);
    }
  });
  await Promise.all(lanes);
}
