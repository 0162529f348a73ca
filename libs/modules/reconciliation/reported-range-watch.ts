import { DataSource } from 'typeorm';
import { Transaction } from '../../infra/persistence/transaction';
import { Clock } from '../../adapters/clock/clock';
import { blankReportTimes, parsePeriod, rangeHolding } from '../../domain';
import { AlertsService } from '../alerts';
import { ReconciliationsRepository } from './reconciliations.repository';

export interface NumberChange {
  sellerId: string;
  channelId: string | null;
  period: string;
  invoiceNumber: string;
  change: 'issued' | 'voided' | 'cancelled_blank';
}

/**
 * After the E0402 of a period is out, a number that changes side is a conflict with what was reported: an invoice
 * (or its void) in a range reported blank, or a number reported used that is then cancelled as blank.
 */
export class ReportedRangeWatch {
  constructor(
    private readonly db: DataSource,
    private readonly runs: ReconciliationsRepository,
    private readonly alerts: AlertsService,
    private readonly clock: Clock,
  ) {}

  async numberChanged(manager: Transaction | undefined, change: NumberChange): Promise<boolean> {
    // A period is reported only once it has ended (checkPeriodEnded): before then no run holds its ranges, and the
    // invoices of the current period (nearly every one) need no look.
    if (this.clock.now() < blankReportTimes(parsePeriod(change.period)).reportableFrom) return false;
    const run = await this.runs.reportedOf(change.sellerId, change.period, manager ?? this.db);
    if (!run?.reportedRanges) return false;
    const track = change.invoiceNumber.slice(0, 2);
    const reportedBlank = rangeHolding(run.reportedRanges, track, Number(change.invoiceNumber.slice(2)));
    const nowBlank = change.change === 'cancelled_blank';
    if (Boolean(reportedBlank) === nowBlank) return false;
    await this.alerts.raise(
      {
        kind: 'reconciliation.conflict', severity: 'critical', sellerId: change.sellerId, channelId: change.channelId,
        subject: { type: 'reconciliation', id: run.id }, causeKey: `${run.id}:${change.invoiceNumber}:${change.change}`,
        message: nowBlank
          ? `${change.invoiceNumber} was cancelled as blank after period ${change.period} was reported with it as used`
          : `${change.invoiceNumber} was ${change.change} in a range already reported blank for period ${change.period}`,
        detail: { invoiceNumber: change.invoiceNumber, change: change.change, period: change.period },
      },
      manager,
    );
    return true;
  }
}
