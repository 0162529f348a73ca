import type { ReconciliationMode, ReconciliationStage } from '../../contracts/reconciliation';
import type { BlankRange, BlankTotals, BlankViolation } from '../../domain';

export interface ReconciliationRecord {
  id: string;
  sellerId: string;
  period: string;
  mode: ReconciliationMode;
  workflowId: string;
  stage: ReconciliationStage;
  startedBy: string;
  uploadAt: Date | null;
  draftVersion: number;
  totals: BlankTotals | null;
  ranges: BlankRange[];
  violations: BlankViolation[];
  heldBy: string | null;
  heldAt: Date | null;
  holdReason: string | null;
  releasedBy: string | null;
  releasedAt: Date | null;
  approvedBy: string | null;
  reportedRanges: BlankRange[] | null;
  reportedAt: Date | null;
  acceptedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export type ReportState = 'draft' | 'delivered' | 'accepted' | 'rejected';

/** One E0402: the blank ranges of one track and invoice type. */
export interface ReportRecord {
  reconciliationId: string;
  invoiceType: '07' | '08';
  track: string;
  draftVersion: number;
  ranges: number;
  xml: string;
  fileName: string | null;
  state: ReportState;
  deliveredAt: Date | null;
  outcomeAt: Date | null;
  errorCode: string | null;
  errorMessage: string | null;
}
