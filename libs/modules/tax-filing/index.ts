/** The tax-filing module's face: the period's sales media file and 401 summary, proved complete. */
export { TaxFilingService } from './tax-filing.service';
export type { PeriodFilingResult } from './tax-filing.service';
