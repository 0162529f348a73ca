import pLimit from 'p-limit';
import { DataSource } from 'typeorm';
import { Transaction } from '../../infra/persistence/transaction';
import { InvariantName, InvariantsRepository } from './invariants.repository';

export type { InvariantName };

type Db = DataSource | Transaction;

export interface Violation {
  invariant: InvariantName;
  /** What is wrong: an invoice number, a booklet id, a message id. */
  subject: string;
  message: string;
}

/** Where a lifecycle workflow stands on the server: `running`, an end state (`completed`, …), or `missing`. */
export interface LifecycleLookup {
  status(sellerBan: string, invoiceNumber: string): Promise<string>;
}

export interface InvariantReport {
  violations: Violation[];
  /** Checks that ran; a check that could not run is in `skipped` with the reason. */
  checked: InvariantName[];
  skipped: { invariant: InvariantName; reason: string }[];
}

/** Workflow descriptions in flight at once: enough to hide round trips, few enough not to swamp a dev server. */
const LOOKUP_CONCURRENCY = 16;

/**
 * What must hold whatever crashed, in any database of the service: every number handed out once, inside its
 * booklet and range, and used; no booklet over-full; everything not yet accepted on the deadline lists and (when
 * a Temporal server is given) in the hands of a running lifecycle workflow.
 */
export class InvariantsChecker {
  private readonly repository: InvariantsRepository;

  constructor(db: Db) {
    this.repository = new InvariantsRepository(db);
  }

  async check(lifecycles?: LifecycleLookup): Promise<InvariantReport> {
    const report: InvariantReport = { violations: [], checked: [], skipped: [] };
    for (const { invariant, rows } of await this.repository.sqlViolations()) {
      report.violations.push(...rows.map((row) => ({ invariant, subject: row.subject.trim(), message: row.message })));
      report.checked.push(invariant);
    }
    if (!lifecycles) {
      report.skipped.push({ invariant: 'invoices.without_lifecycle', reason: 'no Temporal server to ask' });
      return report;
    }
    const open = await this.repository.openInvoices();
    const limit = pLimit(LOOKUP_CONCURRENCY);
    const statuses = await Promise.all(open.map((invoice) => limit(() => lifecycles.status(invoice.ban, invoice.number))));
    open.forEach((invoice, i) => {
      if (statuses[i] === 'running') return;
      report.violations.push({
        invariant: 'invoices.without_lifecycle',
        subject: invoice.number,
        message: `status ${invoice.status}, something left to upload, but its lifecycle workflow is ${statuses[i]}`,
      });
    });
    report.checked.push('invoices.without_lifecycle');
    return report;
  }
}
