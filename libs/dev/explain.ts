import { DataSource } from 'typeorm';
import { InvoicesService, createInvoicesService } from '../modules/invoices';
import { systemClock } from '../adapters/clock/clock';

export interface CapturedQuery {
  sql: string;
  params: unknown[];
}

/** What explain() hands back in FORMAT JSON: one node of the plan tree. */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
  [key: string]: unknown;
}

/**
 * The SQL an InvoicesService method sends, exactly as it sends it: the service is given a stand-in data source that
 * records the query instead of running it. Plans are then taken of the real query text, not of a copy.
 */
/** The invoice service with only its reads wired: what the index tests and benchmarks exercise. */
export function invoiceReader(db: DataSource): InvoicesService {
  return createInvoicesService(db, { allocator: undefined as never, random: undefined as never, warnBeforeMs: 0, starter: undefined as never, clock: systemClock });
}

export async function serviceQuery(call: (service: InvoicesService) => Promise<unknown>): Promise<CapturedQuery> {
  const captured: CapturedQuery[] = [];
  const recorder = {
    query: async (sql: string, params: unknown[] = []) => {
      captured.push({ sql, params });
      return [];
    },
  };
  await call(invoiceReader(recorder as unknown as DataSource));
  if (captured.length !== 1) throw new Error(`expected one query, the service sent ${captured.length}`);
  return captured[0];
}

export async function planJson(db: DataSource, query: CapturedQuery): Promise<PlanNode> {
  const [row] = await db.query(`EXPLAIN (FORMAT JSON) ${query.sql}`, query.params);
  return row['QUERY PLAN'][0].Plan;
}

export async function planText(db: DataSource, query: CapturedQuery): Promise<string> {
  const rows: { 'QUERY PLAN': string }[] = await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${query.sql}`, query.params);
  return rows.map((r) => r['QUERY PLAN']).join('\n');
}

export function planNodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(planNodes)];
}

/**
 * How a plan reads a table: one entry per scan node touching it, e.g. `Index Scan using invoices_open_deadlines`,
 * `Bitmap Index Scan using invoices_open_deadlines` (its Bitmap Heap Scan above is left out), `Seq Scan`.
 */
export function accessPaths(plan: PlanNode, table: string, indexesOfTable: string[]): string[] {
  return planNodes(plan).flatMap((node) => {
    const index = node['Index Name'];
    if (node['Node Type'] === 'Bitmap Index Scan') return index && indexesOfTable.includes(index) ? [`Bitmap Index Scan using ${index}`] : [];
    if (node['Relation Name'] !== table || node['Node Type'] === 'Bitmap Heap Scan') return [];
    return [index ? `${node['Node Type']} using ${index}` : node['Node Type']];
  });
}
