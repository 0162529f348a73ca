import { Foundation1763750000000 } from './1763750000000-foundation';
import { Issuing1763760000000 } from './1763760000000-issuing';
import { VoidAllowance1763770000000 } from './1763770000000-void-allowance';
import { ReconciliationAlerts1763790000000 } from './1763790000000-reconciliation-alerts';
import { TurnkeySent1763800000000 } from './1763800000000-turnkey-sent';

/** Every migration, in order; listed explicitly so the same array works from TypeScript and compiled JavaScript. */
export const MIGRATIONS = [Foundation1763750000000, Issuing1763760000000, VoidAllowance1763770000000, ReconciliationAlerts1763790000000, TurnkeySent1763800000000];
