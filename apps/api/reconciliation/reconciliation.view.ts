import { AlertRecord } from '../../../libs/modules/alerts';
import { BlankNumberRow, rangesByTrack, ReconciliationRecord, ReportRecord } from '../../../libs/modules/reconciliation';
import { ReconciliationStatus } from '../../../libs/contracts/reconciliation';
import { BlankKind, blankReportTimes, formatInvoiceNumber, parsePeriod, taipeiIsoDay } from '../../../libs/domain';

export const BLANK_KIND_LABELS: Record<BlankKind, string> = {
  unused: '空白未使用 unused',
  skipped: '跳號 skipped',
  cancelled_blank: '空白作廢 cancelled as blank',
  third_party: '第三方空白 third party',
};

export function blankNumberView(row: BlankNumberRow) {
  return {
    period: row.period,
    invoiceNumber: row.invoiceNumber,
    invoiceDate: row.invoiceDate ? taipeiIsoDay(row.invoiceDate) : null,
    voidDate: row.voidDate ? taipeiIsoDay(row.voidDate) : null,
    channel: row.channel,
    operator: row.operator,
    status: row.kind,
    statusLabel: BLANK_KIND_LABELS[row.kind],
    skipped: row.skipped,
  };
}

/** An alert as the API shows it: the seller by BAN, not by its internal id. */
export function alertView(alert: AlertRecord) {
  return {
    id: alert.id, kind: alert.kind, severity: alert.severity, causeKey: alert.causeKey, seller: alert.sellerBan, channelId: alert.channelId,
    subject: alert.subject, message: alert.message, detail: alert.detail, state: alert.state, occurrences: alert.occurrences,
    firstSeenAt: alert.firstSeenAt, lastSeenAt: alert.lastSeenAt, acknowledgedAt: alert.acknowledgedAt, acknowledgedBy: alert.acknowledgedBy,
    resolvedAt: alert.resolvedAt,
  };
}

/** A run as GET shows it: state, progress, ranges per track, violations, the E0402s with their upload state, conflicts. */
export function reconciliationView(run: ReconciliationRecord, reports: ReportRecord[], status: ReconciliationStatus | undefined, conflicts: AlertRecord[]) {
  const booklets = run.totals?.booklets ?? 0;
  return {
    period: run.period,
    mode: run.mode,
    state: run.stage,
    startedBy: run.startedBy,
    uploadAt: run.uploadAt,
    progress: status?.progress ?? { done: run.totals ? booklets : 0, total: booklets },
    draftVersion: run.draftVersion,
    held: status?.held ?? run.heldBy !== null,
    heldBy: run.heldBy,
    hold: run.heldBy ? { by: run.heldBy, at: run.heldAt, reason: run.holdReason } : null,
    released: run.releasedBy ? { by: run.releasedBy, at: run.releasedAt } : null,
    approvedBy: run.approvedBy,
    /** A period not ended yet is only checked; from this day (Taipei) it can be reported. */
    reportableFrom: taipeiIsoDay(blankReportTimes(parsePeriod(run.period)).reportableFrom),
    totals: run.totals,
    tracks: [...rangesByTrack(run.ranges).values()].map((ranges) => ({
      invoiceType: ranges[0].invoiceType,
      track: ranges[0].track,
      blank: ranges.reduce((sum, r) => sum + r.end - r.begin + 1, 0),
      ranges: ranges.map((r) => ({ begin: formatInvoiceNumber(r.track, r.begin), end: formatInvoiceNumber(r.track, r.end) })),
    })),
    violations: run.violations,
    upload: {
      reportedAt: run.reportedAt,
      acceptedAt: run.acceptedAt,
      reports: reports.map((r) => ({
        invoiceType: r.invoiceType, track: r.track, ranges: r.ranges, draftVersion: r.draftVersion, fileName: r.fileName, state: r.state,
        deliveredAt: r.deliveredAt, outcomeAt: r.outcomeAt, errorCode: r.errorCode, errorMessage: r.errorMessage,
      })),
    },
    conflicts: conflicts.map(alertView),
  };
}
