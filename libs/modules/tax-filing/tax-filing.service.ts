import { DataSource } from 'typeorm';
import {
  CompletenessResult,
  DomainError,
  MediaRecord,
  SalesSummary,
  assertComplete,
  buildMediaRecords,
  checkCompleteness,
  mediaFileName,
  parsePeriod,
  renderMediaFile,
  summarizeSales,
} from '../../domain';
import { ReconciliationService } from '../reconciliation';
import { SellersService } from '../sellers';
import { TaxFilingQuery } from './tax-filing.query';

/** Stages of a report run whose blank ranges finance approved (the E0402 is out, going out, or there is none to send). */
const APPROVED_STAGES: readonly string[] = ['uploading', 'sent', 'accepted', 'nothing_to_report'];

export interface PeriodFilingResult {
  records: MediaRecord[];
  summary: SalesSummary;
  completeness: CompletenessResult;
}

/**
 * The period's business-tax filing (401, sales side): the media file (營業人進銷項資料檔) and its summary, from the
 * same ledger the reconciliation checks, and only once it has approved the period's blank ranges. Before answering,
 * it proves the file complete: every number of every booklet filed exactly once, the totals equal to the records.
 */
export class TaxFilingService {
  private readonly query: TaxFilingQuery;

  constructor(
    db: DataSource,
    private readonly sellers: SellersService,
    private readonly reconciliation: ReconciliationService,
  ) {
    this.query = new TaxFilingQuery(db);
  }

  async filing(ban: string, periodText: string): Promise<PeriodFilingResult> {
    const seller = await this.sellers.getSeller(ban);
    const period = parsePeriod(periodText, 'period');
    if (!seller.taxRegistrationNumber) {
      throw new DomainError(
        'conflict',
        'MEDIA_FILE.NO_TAX_REGISTRATION_NUMBER',
        `seller ${ban} has no tax registration number (稅籍編號); set it with PATCH /api/v1/sellers/${ban} {"taxRegistrationNumber": "…"}`,
      );
    }
    const run = await this.reconciliation.ofPeriod(ban, period.code).then(
      ({ run }) => run,
      (error: unknown) => {
        if (error instanceof DomainError && error.code === 'RECONCILIATION.NOT_FOUND') return undefined;
        throw error;
      },
    );
    if (!run || run.mode !== 'report' || !APPROVED_STAGES.includes(run.stage)) {
      throw new DomainError(
        'conflict',
        'MEDIA_FILE.NOT_APPROVED',
        run
          ? `the reconciliation of period ${period.code} is ${run.stage}${run.mode === 'check' ? ' (a check)' : ''}: the media file is made once its blank numbers are approved`
          : `period ${period.code} of seller ${ban} has no reconciliation: run and approve it first, the media file carries its blank numbers`,
      );
    }
    const [invoices, allowances, booklets] = await Promise.all([
      this.query.invoices(seller.id, period),
      this.query.allowances(seller.id, period),
      this.query.booklets(seller.id, period),
    ]);
    const filing = { seller, period, invoices, allowances, blankRanges: run.reportedRanges ?? run.ranges };
    const records = buildMediaRecords(filing);
    const summary = summarizeSales(filing);
    const completeness = checkCompleteness(booklets, records, summary);
    assertComplete(completeness);
    return { records, summary, completeness };
  }

  async mediaFile(ban: string, periodText: string): Promise<{ fileName: string; content: string }> {
    const { records } = await this.filing(ban, periodText);
    return { fileName: mediaFileName(ban), content: renderMediaFile(records) };
  }
}
