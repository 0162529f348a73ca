import { DataSource, EntityManager } from 'typeorm';
import type { ReconciliationMode, ReconciliationStage } from '../../contracts/reconciliation';
import type { BlankRange, BlankTotals, BlankViolation } from '../../domain';
import { ReconciliationRecord, ReportRecord, ReportState } from './reconciliation.records';

type Db = DataSource | EntityManager;

interface RunRow {
  id: string;
  seller_id: string;
  period: string;
  mode: ReconciliationMode;
  workflow_id: string;
  state: ReconciliationStage;
  started_by: string;
  upload_at: Date | null;
  draft_version: number;
  totals: BlankTotals | null;
  ranges: BlankRange[];
  violations: BlankViolation[];
  held_by: string | null;
  held_at: Date | null;
  hold_reason: string | null;
  released_by: string | null;
  released_at: Date | null;
  approved_by: string | null;
  reported_ranges: BlankRange[] | null;
  reported_at: Date | null;
  accepted_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

interface ReportRow {
  reconciliation_id: string;
  invoice_type: '07' | '08';
  track: string;
  draft_version: number;
  ranges: number;
  xml: string;
  file_name: string | null;
  state: ReportState;
  delivered_at: Date | null;
  outcome_at: Date | null;
  error_code: string | null;
  error_message: string | null;
}

const toRun = (r: RunRow): ReconciliationRecord => ({
  id: r.id,
  sellerId: r.seller_id,
  period: r.period,
  mode: r.mode,
  workflowId: r.workflow_id,
  stage: r.state,
  startedBy: r.started_by,
  uploadAt: r.upload_at,
  draftVersion: r.draft_version,
  totals: r.totals,
  ranges: r.ranges,
  violations: r.violations,
  heldBy: r.held_by,
  heldAt: r.held_at,
  holdReason: r.hold_reason,
  releasedBy: r.released_by,
  releasedAt: r.released_at,
  approvedBy: r.approved_by,
  reportedRanges: r.reported_ranges,
  reportedAt: r.reported_at,
  acceptedAt: r.accepted_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toReport = (r: ReportRow): ReportRecord => ({
  reconciliationId: r.reconciliation_id,
  invoiceType: r.invoice_type,
  track: r.track,
  draftVersion: r.draft_version,
  ranges: r.ranges,
  xml: r.xml,
  fileName: r.file_name,
  state: r.state,
  deliveredAt: r.delivered_at,
  outcomeAt: r.outcome_at,
  errorCode: r.error_code,
  errorMessage: r.error_message,
});

/** The one owner of `reconciliations` and `reconciliation_reports`. */
export class ReconciliationsRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * The run of the seller, period and mode, created on first use. `created` is the database's word: of two opens at
   * once exactly one inserts, the other finds its row.
   */
  async open(run: { sellerId: string; period: string; mode: ReconciliationMode; workflowId: string; startedBy: string; uploadAt: Date | null }): Promise<{ run: ReconciliationRecord; created: boolean }> {
    const inserted: RunRow[] = await this.db.query(
      `INSERT INTO reconciliations (seller_id, period, mode, workflow_id, started_by, upload_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (seller_id, period, mode) DO NOTHING RETURNING *`,
      [run.sellerId, run.period, run.mode, run.workflowId, run.startedBy, run.uploadAt],
    );
    if (inserted[0]) return { run: toRun(inserted[0]), created: true };
    const rows: RunRow[] = await this.db.query(`SELECT * FROM reconciliations WHERE seller_id = $1 AND period = $2 AND mode = $3`, [run.sellerId, run.period, run.mode]);
    return { run: toRun(rows[0]), created: false };
  }

  /** As open, and the run (new or found) marked as computing, in one statement: the workflow's first step. */
  async openComputing(run: { sellerId: string; period: string; mode: ReconciliationMode; workflowId: string; startedBy: string; uploadAt: Date | null }): Promise<ReconciliationRecord> {
    const rows: RunRow[] = await this.db.query(
      `INSERT INTO reconciliations (seller_id, period, mode, workflow_id, started_by, upload_at, state) VALUES ($1, $2, $3, $4, $5, $6, 'computing')
       ON CONFLICT (seller_id, period, mode) DO UPDATE SET state = 'computing', updated_at = now()
       RETURNING *`,
      [run.sellerId, run.period, run.mode, run.workflowId, run.startedBy, run.uploadAt],
    );
    return toRun(rows[0]);
  }

  async findById(id: string, db: Db = this.db, lock = false): Promise<ReconciliationRecord | undefined> {
    const rows: RunRow[] = await db.query(`SELECT * FROM reconciliations WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id]);
    return rows[0] && toRun(rows[0]);
  }

  /** Runs not yet at rest, and those changed since `since`, newest first, with their seller's BAN (the dashboard). */
  async recent(since: Date, limit: number): Promise<(ReconciliationRecord & { sellerBan: string })[]> {
    const rows: (RunRow & { seller_ban: string })[] = await this.db.query(
      `SELECT r.*, s.ban AS seller_ban FROM reconciliations r JOIN sellers s ON s.id = r.seller_id
        WHERE r.state IN ('computing', 'uploading', 'sent') OR r.updated_at >= $1
        ORDER BY r.updated_at DESC LIMIT $2`,
      [since, limit],
    );
    return rows.map((row) => ({ ...toRun(row), sellerBan: row.seller_ban }));
  }

  /** The report run of a period, else its mid-period check. */
  async findOfPeriod(sellerId: string, period: string): Promise<ReconciliationRecord | undefined> {
    const rows: RunRow[] = await this.db.query(
      `SELECT * FROM reconciliations WHERE seller_id = $1 AND period = $2 ORDER BY mode = 'report' DESC LIMIT 1`,
      [sellerId, period],
    );
    return rows[0] && toRun(rows[0]);
  }

  /** Report runs of the seller whose E0402 went out: a later change in their ranges is a conflict. */
  async reportedOf(sellerId: string, period: string, db: Db = this.db): Promise<ReconciliationRecord | undefined> {
    const rows: RunRow[] = await db.query(
      `SELECT * FROM reconciliations WHERE seller_id = $1 AND period = $2 AND mode = 'report' AND reported_ranges IS NOT NULL`,
      [sellerId, period],
    );
    return rows[0] && toRun(rows[0]);
  }

  async setStage(id: string, stage: ReconciliationStage, db: Db = this.db): Promise<void> {
    await db.query(`UPDATE reconciliations SET state = $2, updated_at = now() WHERE id = $1`, [id, stage]);
  }

  async storeDraft(manager: EntityManager, id: string, draft: { ranges: BlankRange[]; totals: BlankTotals; violations: BlankViolation[] }, stage: ReconciliationStage): Promise<number> {
    const [[{ draft_version: version }]] = await manager.query(
      `UPDATE reconciliations SET ranges = $2, totals = $3, violations = $4, state = $5, draft_version = draft_version + 1, updated_at = now()
        WHERE id = $1 RETURNING draft_version`,
      [id, JSON.stringify(draft.ranges), JSON.stringify(draft.totals), JSON.stringify(draft.violations), stage],
    );
    return version;
  }

  async recordHold(id: string, hold: { by: string; reason: string; at: Date }, stage: ReconciliationStage): Promise<void> {
    await this.db.query(
      `UPDATE reconciliations SET held_by = $2, hold_reason = $3, held_at = $4, released_by = NULL, released_at = NULL, approved_by = NULL, state = $5, updated_at = now()
        WHERE id = $1`,
      [id, hold.by, hold.reason, hold.at, stage],
    );
  }

  /**
   * The hold is lifted; who held it and why stay until the next hold, beside who released it. A held run goes back to
   * `stage`; any other keeps its state, which an upload started by the release itself may already have moved on.
   */
  async recordRelease(id: string, release: { by: string; at: Date }, stage: ReconciliationStage, db: Db = this.db): Promise<void> {
    await db.query(`UPDATE reconciliations SET held_by = NULL, released_by = $2, released_at = $3, state = CASE WHEN state = 'held' THEN $4 ELSE state END, updated_at = now() WHERE id = $1`, [
      id, release.by, release.at, stage,
    ]);
  }

  /**
   * The workflow starts the upload while this is recorded: a state the upload has already written (`uploading`,
   * `sent`, `accepted`) is newer than `stage` and stays.
   */
  async recordDecision(id: string, decision: { heldBy: string | null; approvedBy: string | null }, stage: ReconciliationStage): Promise<void> {
    await this.db.query(`UPDATE reconciliations SET held_by = $2, approved_by = $3, state = CASE WHEN state IN ('uploading', 'sent', 'accepted') THEN state ELSE $4 END, updated_at = now() WHERE id = $1`, [
      id, decision.heldBy, decision.approvedBy, stage,
    ]);
  }

  /** The ranges on their way to the platform; the first report's time stays (it closed the period's booklets). */
  async markReporting(id: string, ranges: BlankRange[], at: Date): Promise<void> {
    await this.db.query(
      `UPDATE reconciliations SET reported_ranges = $2, reported_at = COALESCE(reported_at, $3), state = 'uploading', updated_at = now() WHERE id = $1`,
      [id, JSON.stringify(ranges), at],
    );
  }

  async markAccepted(id: string, at: Date, db: Db = this.db): Promise<void> {
    await db.query(`UPDATE reconciliations SET accepted_at = $2, state = 'accepted', updated_at = now() WHERE id = $1`, [id, at]);
  }

  /** The draft's E0402s replace the previous draft's; reports already delivered are history and stay. */
  async replaceDraftReports(manager: EntityManager, id: string, reports: Omit<ReportRecord, 'reconciliationId' | 'fileName' | 'state' | 'deliveredAt' | 'outcomeAt' | 'errorCode' | 'errorMessage'>[]): Promise<void> {
    await manager.query(`DELETE FROM reconciliation_reports WHERE reconciliation_id = $1`, [id]);
    if (reports.length === 0) return;
    await manager.query(
      `INSERT INTO reconciliation_reports (reconciliation_id, invoice_type, track, draft_version, ranges, xml)
       SELECT $1, t, k, $2, n, x FROM unnest($3::text[], $4::text[], $5::int[], $6::text[]) AS r(t, k, n, x)`,
      [id, reports[0].draftVersion, reports.map((r) => r.invoiceType), reports.map((r) => r.track), reports.map((r) => r.ranges), reports.map((r) => r.xml)],
    );
  }

  async reportsOf(id: string, db: Db = this.db): Promise<ReportRecord[]> {
    const rows: ReportRow[] = await db.query(`SELECT * FROM reconciliation_reports WHERE reconciliation_id = $1 ORDER BY invoice_type, track`, [id]);
    return rows.map(toReport);
  }

  async markDelivered(id: string, report: { invoiceType: string; track: string }, fileName: string, at: Date): Promise<void> {
    await this.db.query(
      `UPDATE reconciliation_reports SET file_name = $4, state = 'delivered', delivered_at = $5, outcome_at = NULL, error_code = NULL, error_message = NULL
        WHERE reconciliation_id = $1 AND invoice_type = $2 AND track = $3`,
      [id, report.invoiceType, report.track, fileName, at],
    );
  }

  async recordReportOutcome(
    manager: EntityManager,
    id: string,
    report: { invoiceType: string; track: string },
    outcome: { state: 'accepted' | 'rejected'; at: Date; errorCode?: string; errorMessage?: string },
  ): Promise<void> {
    await manager.query(
      `UPDATE reconciliation_reports SET state = $4, outcome_at = $5, error_code = $6, error_message = $7
        WHERE reconciliation_id = $1 AND invoice_type = $2 AND track = $3`,
      [id, report.invoiceType, report.track, outcome.state, outcome.at, outcome.errorCode ?? null, outcome.errorMessage ?? null],
    );
  }
}
