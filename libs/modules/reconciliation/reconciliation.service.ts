import { stringify } from 'csv-stringify/sync';
import { DataSource } from 'typeorm';
import { Clock } from '../../adapters/clock/clock';
import { TurnkeyGateway } from '../../adapters/turnkey/turnkey.gateway';
import { BlankChunk, BlankDraft, ReconciliationInput, ReconciliationStage } from '../../contracts/reconciliation';
import { BlankRange, BlankViolation, DomainError, blankReportTimes, computeBlankPart, formatInvoiceNumber, parsePeriod, renderE0402, sameBlankRanges, taipeiIsoDay } from '../../domain';
import { AlertsService } from '../alerts';
import { SellersService } from '../sellers';
import { BlankNumbersQuery, BookletKey } from './blank-numbers.query';
import { ReconciliationRecord, ReportRecord } from './reconciliation.records';
import { ReconciliationsRepository } from './reconciliations.repository';

/** MIG 4.1: an E0402 carries 1–10,000 BranchTrackBlankItem. */
export const E0402_MAX_ITEMS = 10_000;

export type ReportOutcome = 'pending' | 'accepted' | 'rejected';

const groupKey = (r: { invoiceType: string; track: string }) => `${r.invoiceType}${r.track}`;

/** The ranges of a draft per invoice type and track, in order: one E0402 each. */
export function rangesByTrack(ranges: readonly BlankRange[]): Map<string, BlankRange[]> {
  const groups = new Map<string, BlankRange[]>();
  for (const range of ranges) {
    const key = groupKey(range);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(range);
  }
  return groups;
}

/**
 * The period's reconciliation as the workflow drives it: reads the booklets in chunks, stores each draft with its
 * E0402s, records finance's decisions, delivers the reports to Turnkey and reads the platform's verdict; raises
 * mismatch, late, conflict and rejection alerts and resolves them when their cause is gone.
 */
export class ReconciliationService {
  /** E0402s this process has reported silent: one alert per delivery is enough, however often it is polled. */
  private readonly reportedSilent = new Set<string>();

  constructor(
    private readonly db: DataSource,
    private readonly runs: ReconciliationsRepository,
    private readonly query: BlankNumbersQuery,
    private readonly sellers: SellersService,
    private readonly alerts: AlertsService,
    private readonly clock: Clock,
    private readonly gateway?: TurnkeyGateway,
    /** A delivered E0402 with no verdict this long raises `turnkey.silent` (the worker passes TURNKEY_SILENT_SECONDS). */
    private readonly silentAfterMs = Infinity,
  ) {}

  private async run(id: string): Promise<ReconciliationRecord> {
    const run = await this.runs.findById(id);
    if (!run) throw new DomainError('not_found', 'RECONCILIATION.NOT_FOUND', `no reconciliation ${id}`);
    return run;
  }

  /** The run's record (created by the API when finance starts it, or here for a scheduled run) and its size. */
  async openRun(input: ReconciliationInput, workflowId: string): Promise<{ id: string; booklets: number; allocatedByMof: number }> {
    const seller = await this.sellers.getSeller(input.sellerBan);
    const [run, booklets, allocatedByMof] = await Promise.all([
      this.runs.openComputing({
        sellerId: seller.id, period: input.period, mode: input.mode, workflowId, startedBy: input.startedBy,
        uploadAt: input.mode === 'report' ? new Date(input.uploadAt) : null,
      }),
      this.query.bookletCount(seller.id, input.period),
      this.query.allocatedByMof(seller.id, input.period),
    ]);
    return { id: run.id, booklets, allocatedByMof };
  }

  async computeChunk(id: string, after: BookletKey | null, limit: number): Promise<BlankChunk> {
    const booklets = await this.query.bookletUsageOfRun(id, after, limit);
    // No booklets at all: tell a missing run from an empty period.
    if (booklets.length === 0 && !after) await this.run(id);
    const last = booklets[booklets.length - 1];
    return { part: computeBlankPart(booklets), next: booklets.length === limit && last ? { invoiceType: last.invoiceType, track: last.track, start: last.start } : null };
  }

  /**
   * Stores the draft and renders its E0402s (one per invoice type and track). Before any upload the draft replaces
   * the previous one; after it, the reports stay as delivered and a draft whose ranges differ is a conflict.
   */
  async storeDraft(id: string, computed: BlankDraft): Promise<{ version: number; stage: ReconciliationStage; violations: number }> {
    // The seller is read beside the transaction, not before it: one round trip fewer on the way.
    const sellerOfRun = this.sellerOfRun(id);
    sellerOfRun.catch(() => undefined); // awaited below; this only keeps an early rollback from leaving it unhandled
    return this.db.transaction(async (manager) => {
      const seller = await sellerOfRun;
      const run = (await this.runs.findById(id, manager, true))!;
      const groups = rangesByTrack(computed.ranges);
      const violations: BlankViolation[] = [...computed.violations];
      for (const [key, ranges] of groups) {
        if (ranges.length > E0402_MAX_ITEMS) {
          violations.push({ code: 'E0402_TOO_MANY_RANGES', numbers: [], message: `track ${key.slice(2)} (type ${key.slice(0, 2)}) has ${ranges.length} blank ranges; one E0402 carries at most ${E0402_MAX_ITEMS}` });
        }
      }
      const reported = run.reportedRanges !== null;
      const stage: ReconciliationStage = reported
        ? run.stage
        : violations.length > 0
          ? 'refused'
          : run.mode === 'check'
            ? 'checked'
            : computed.ranges.length === 0
              ? 'nothing_to_report'
              : run.heldBy
                ? 'held'
                : 'draft';
      const version = await this.runs.storeDraft(manager, id, { ...computed, violations }, stage);
      if (!reported && violations.length === 0) {
        await this.runs.replaceDraftReports(
          manager, id,
          [...groups.values()].map((ranges) => ({
            invoiceType: ranges[0].invoiceType, track: ranges[0].track, draftVersion: version, ranges: ranges.length,
            xml: renderE0402({ headBan: seller.ban, branchBan: seller.ban, invoiceType: ranges[0].invoiceType, period: run.period, track: ranges[0].track, blanks: ranges }),
          })),
        );
      } else if (!reported) {
        await this.runs.replaceDraftReports(manager, id, []);
      }
      const subject = { type: 'reconciliation' as const, id };
      if (violations.length > 0) {
        await this.alerts.raise({
          kind: 'reconciliation.mismatch', severity: run.mode === 'report' ? 'critical' : 'warning', sellerId: run.sellerId, subject, causeKey: id,
          message: `blank numbers of period ${run.period} do not add up: ${violations.length} violation(s); the E0402 is not uploaded`,
          detail: { period: run.period, violations: violations.slice(0, 20) },
        }, manager);
      } else {
        await this.alerts.resolve('reconciliation.mismatch', id, manager);
      }
      if (reported) {
        const causeKey = `${id}:rerun`;
        if (!sameBlankRanges(run.reportedRanges!, computed.ranges)) {
          await this.alerts.raise({
            kind: 'reconciliation.conflict', severity: 'critical', sellerId: run.sellerId, subject, causeKey,
            message: `a rerun of period ${run.period} finds blank ranges that differ from the E0402 already uploaded`,
            detail: { period: run.period, reported: run.reportedRanges, now: computed.ranges },
          }, manager);
        } else {
          await this.alerts.resolve('reconciliation.conflict', causeKey, manager);
        }
      }
      return { version, stage, violations: violations.length };
    });
  }

  async recordDecision(id: string, decision: 'hold' | 'release' | 'approve', by: string, reason?: string): Promise<void> {
    const run = await this.run(id);
    const rest = run.violations.length ? 'refused' : 'draft';
    if (decision === 'hold') {
      await this.runs.recordHold(id, { by, reason: reason ?? '', at: this.clock.now() }, run.violations.length ? 'refused' : 'held');
    } else if (decision === 'release') {
      await this.db.transaction(async (manager) => {
        await this.runs.recordRelease(id, { by, at: this.clock.now() }, rest, manager);
        await this.alerts.resolve('reconciliation.held', id, manager);
      });
    } else {
      await this.runs.recordDecision(id, { heldBy: null, approvedBy: by }, 'uploading');
    }
  }

  /** The scheduled upload time came while the run was held: finance hears that the legal limit still stands. */
  async raiseHeld(id: string): Promise<void> {
    const run = await this.run(id);
    if (!run.heldBy || run.reportedAt) return;
    const legalDueAt = blankReportTimes(parsePeriod(run.period)).legalDueAt;
    await this.alerts.raise({
      kind: 'reconciliation.held', severity: 'critical', sellerId: run.sellerId, subject: { type: 'reconciliation', id }, causeKey: id,
      message: `the E0402 of period ${run.period} was not uploaded at its scheduled time: held by ${run.heldBy}${run.holdReason ? ` (${run.holdReason})` : ''}; `
        + `release and approve it before the legal limit, the end of ${taipeiIsoDay(legalDueAt)} (Taipei)`,
      detail: { period: run.period, heldBy: run.heldBy, heldAt: run.heldAt, reason: run.holdReason, legalDueAt },
    });
  }

  /** Hands every E0402 of the draft to Turnkey; `attempt` makes each delivery a file of its own. */
  async deliverReports(id: string, attempt: number): Promise<{ since: string; reports: number }> {
    const gateway = this.requireGateway();
    const run = await this.run(id);
    const seller = await this.sellerOfRun(id);
    const reports = (await this.runs.reportsOf(id)).filter((r) => r.state !== 'accepted');
    const since = this.clock.now();
    // Recorded as reported before the first file goes out: the period's booklets close with it (the database's
    // trigger), so no number inside a range on its way to the platform can be allocated any more.
    await this.runs.markReporting(id, run.ranges, since);
    for (const report of reports) {
      const fileName = `E0402-${seller.ban}-${run.period}-${report.invoiceType}${report.track}-v${report.draftVersion}-${attempt}.xml`;
      await gateway.deliver({ messageType: 'E0402', fileName, xml: report.xml });
      await this.runs.markDelivered(id, report, fileName, this.clock.now());
    }
    await this.runs.setStage(id, 'sent');
    return { since: since.toISOString(), reports: reports.length };
  }

  /** One look at Turnkey's log for every delivered E0402: accepted when all are, rejected when one is. */
  async checkReportOutcomes(id: string, since: string): Promise<ReportOutcome> {
    const gateway = this.requireGateway();
    const run = await this.run(id);
    const seller = await this.sellerOfRun(id);
    const reports = await this.runs.reportsOf(id);
    let pending = false;
    for (const report of reports.filter((r) => r.state === 'delivered')) {
      // A second under the delivery: Turnkey's MESSAGE_DTS has the platform's clock, not ours.
      const outcome = await gateway.blankReportOutcome({
        branchBan: seller.ban, track: report.track, invoiceType: report.invoiceType, period: run.period,
        since: new Date(new Date(since).getTime() - 1000),
      });
      const causeKey = `reconciliation:${id}:${report.invoiceType}${report.track}`;
      if (outcome.state === 'accepted' || outcome.state === 'rejected') {
        const recorded = outcome.state === 'accepted'
          ? { state: outcome.state, at: outcome.at }
          : { state: outcome.state, at: outcome.at, errorCode: outcome.errorCode, errorMessage: outcome.errorMessage };
        await this.db.transaction(async (m) => {
          await this.runs.recordReportOutcome(m, id, report, recorded);
          // A verdict, either way, ends the silence.
          await this.alerts.resolve('turnkey.silent', causeKey, m);
        });
      } else {
        pending = true;
        await this.watchSilence(run, report, causeKey);
      }
    }
    const after = await this.runs.reportsOf(id);
    const rejected = after.filter((r) => r.state === 'rejected');
    const subject = { type: 'reconciliation' as const, id };
    if (rejected.length > 0) {
      await this.runs.setStage(id, 'rejected');
      await this.alerts.raise({
        kind: 'upload.rejected', severity: 'critical', sellerId: run.sellerId, subject, causeKey: `reconciliation:${id}`,
        message: `E0402 of period ${run.period} rejected: ${rejected.map((r) => `${r.track} ${r.errorCode} ${r.errorMessage}`).join('; ')}`,
        detail: { period: run.period, reports: rejected.map(({ invoiceType, track, errorCode, errorMessage }) => ({ invoiceType, track, errorCode, errorMessage })) },
      });
      return 'rejected';
    }
    if (pending) return 'pending';
    await this.db.transaction(async (manager) => {
      await this.runs.markAccepted(id, this.clock.now(), manager);
      await this.alerts.resolveSubject(['reconciliation.late', 'reconciliation.held', 'upload.rejected'], subject, manager);
    });
    return 'accepted';
  }

  private async watchSilence(run: ReconciliationRecord, report: ReportRecord, causeKey: string): Promise<void> {
    const key = `${causeKey}:${report.fileName}`;
    if (!report.deliveredAt || this.reportedSilent.has(key) || this.clock.now().getTime() - report.deliveredAt.getTime() < this.silentAfterMs) return;
    await this.alerts.raise({
      kind: 'turnkey.silent', severity: 'warning', sellerId: run.sellerId, subject: { type: 'reconciliation', id: run.id }, causeKey,
      message: `E0402 ${report.fileName} (period ${run.period}, track ${report.track}) was handed to Turnkey at ${report.deliveredAt.toISOString()} and has no platform verdict yet`,
      detail: { period: run.period, invoiceType: report.invoiceType, track: report.track, fileName: report.fileName, deliveredAt: report.deliveredAt.toISOString() },
    });
    this.reportedSilent.add(key);
  }

  /** The legal deadline nears and the platform has not accepted the report. */
  async raiseLate(id: string, legalDueAt: string): Promise<void> {
    const run = await this.run(id);
    if (run.acceptedAt) return;
    await this.alerts.raise({
      kind: 'reconciliation.late', severity: 'critical', sellerId: run.sellerId, subject: { type: 'reconciliation', id }, causeKey: id,
      message: `the blank-number report of period ${run.period} is not accepted yet; the legal limit is ${legalDueAt}`,
      detail: { period: run.period, stage: run.stage, legalDueAt },
    });
  }

  /** The record and E0402s of a period's run, for the API. */
  async ofPeriod(sellerBan: string, periodText: string): Promise<{ run: ReconciliationRecord; reports: ReportRecord[] }> {
    const seller = await this.sellers.getSeller(sellerBan);
    const period = parsePeriod(periodText, 'period').code;
    const run = await this.runs.findOfPeriod(seller.id, period);
    if (!run) throw new DomainError('not_found', 'RECONCILIATION.NOT_FOUND', `no reconciliation of period ${period} for seller ${sellerBan}; start one with POST`);
    return { run, reports: await this.runs.reportsOf(run.id) };
  }

  async e0402(sellerBan: string, periodText: string, track: string | undefined): Promise<ReportRecord> {
    const { reports } = await this.ofPeriod(sellerBan, periodText);
    const matching = reports.filter((r) => !track || r.track === track.toUpperCase());
    if (matching.length !== 1) {
      const tracks = reports.map((r) => r.track).join(', ') || 'none';
      if (matching.length === 0 && track) throw new DomainError('not_found', 'RECONCILIATION.NO_REPORT', `no E0402 for track ${track} (tracks with one: ${tracks})`);
      throw new DomainError('invalid', 'RECONCILIATION.TRACK_REQUIRED', `there are E0402s for tracks ${tracks}: choose one`, [
        { field: 'track', code: 'RECONCILIATION.TRACK_REQUIRED', message: `one of ${tracks}` },
      ]);
    }
    return matching[0];
  }

  /** The blank ranges for manual upload on the MOF platform, one line per range (csv-stringify quotes as needed). */
  async csv(sellerBan: string, periodText: string): Promise<string> {
    const { run } = await this.ofPeriod(sellerBan, periodText);
    return stringify(
      run.ranges.map((r) => [run.period, r.invoiceType, r.track, formatInvoiceNumber(r.track, r.begin), formatInvoiceNumber(r.track, r.end), r.end - r.begin + 1]),
      { header: true, columns: ['期別', '發票類別代號', '發票字軌名稱', '空白發票起號', '空白發票迄號', '張數'], record_delimiter: 'windows' },
    );
  }

  private async sellerOfRun(id: string): Promise<{ id: string; ban: string }> {
    const [seller]: { id: string; ban: string }[] = await this.db.query(`SELECT s.id, s.ban FROM reconciliations r JOIN sellers s ON s.id = r.seller_id WHERE r.id = $1`, [id]);
    if (!seller) throw new DomainError('not_found', 'RECONCILIATION.NOT_FOUND', `no reconciliation ${id}`);
    return seller;
  }

  private requireGateway(): TurnkeyGateway {
    if (!this.gateway) throw new Error('ReconciliationService needs the Turnkey gateway to upload (worker only)');
    return this.gateway;
  }
}
