import { Foundation1763750000000 } from './1763750000000-foundation';
import { Issuing1763760000000 } from './1763760000000-issuing';
import { VoidAllowance1763770000000 } from './1763770000000-void-allowance';
import { ReconciliationAlerts1763790000000 } from './1763790000000-reconciliation-alerts';
import { TurnkeySent1763800000000 } from './1763800000000-turnkey-sent';
import { CancelledBlankIndex1763810000000 } from './1763810000000-cancelled-blank-index';
import { Orders1763820000000 } from './1763820000000-orders';
import { StaffSessions1763830000000 } from './1763830000000-staff-sessions';
import { AlertDelivery1763840000000 } from './1763840000000-alert-delivery';
import { AllocateNumbers1763850000000 } from './1763850000000-allocate-numbers';
import { NumberCandidates1763860000000 } from './1763860000000-number-candidates';
import { ParallelBooklets1763870000000 } from './1763870000000-parallel-booklets';
import { SellerDocuments1763880000000 } from './1763880000000-seller-documents';
import { ReportedBooklets1763890000000 } from './1763890000000-reported-booklets';
import { SignInRefusals1763900000000 } from './1763900000000-sign-in-refusals';
import { InvoiceSearch1763910000000 } from './1763910000000-invoice-search';
import { AllocateFromOneBooklet1763920000000 } from './1763920000000-allocate-from-one-booklet';
import { BookletCandidatesIndex1763940000000 } from './1763940000000-booklet-candidates-index';
import { BookletsHotUpdates1763950000000 } from './1763950000000-booklets-hot-updates';
import { LedgerInsertCheck1763960000000 } from './1763960000000-ledger-insert-check';

/** Every migration, in order; listed explicitly so the same array works from TypeScript and compiled JavaScript. */
export const MIGRATIONS = [
  Foundation1763750000000,
  Issuing1763760000000,
  VoidAllowance1763770000000,
  ReconciliationAlerts1763790000000,
  TurnkeySent1763800000000,
  CancelledBlankIndex1763810000000,
  Orders1763820000000,
  StaffSessions1763830000000,
  AlertDelivery1763840000000,
  AllocateNumbers1763850000000,
  NumberCandidates1763860000000,
  ParallelBooklets1763870000000,
  SellerDocuments1763880000000,
  ReportedBooklets1763890000000,
  SignInRefusals1763900000000,
  InvoiceSearch1763910000000,
  AllocateFromOneBooklet1763920000000,
  BookletCandidatesIndex1763940000000,
  BookletsHotUpdates1763950000000,
  LedgerInsertCheck1763960000000,
];
