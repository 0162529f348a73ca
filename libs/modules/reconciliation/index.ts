import { DataSource } from 'typeorm';
import { Clock } from '../../adapters/clock/clock';
import { ReconciliationControl } from '../../adapters/temporal/reconciliation-control';
import { WorkflowStarter } from '../../adapters/temporal/workflow-starter';
import { TurnkeyGateway } from '../../adapters/turnkey/turnkey.gateway';
import { AlertsService } from '../alerts';
import { SellersService } from '../sellers';
import { BlankNumbersQuery } from './blank-numbers.query';
import { ReconciliationRuns } from './reconciliation-runs';
import { ReconciliationService } from './reconciliation.service';
import { ReconciliationsRepository } from './reconciliations.repository';
import { ReportedRangeWatch } from './reported-range-watch';

/** The reconciliation module's face: blank-number reads, runs and their E0402s, the reported-range watch. */
export { BlankNumbersQuery, ReconciliationRuns, ReconciliationService, ReportedRangeWatch };
export type { BlankNumberRow, BookletKey } from './blank-numbers.query';
export { reconciliationInput } from './reconciliation-runs';
export { E0402_MAX_ITEMS, rangesByTrack } from './reconciliation.service';
export type { ReportOutcome } from './reconciliation.service';
export type { NumberChange } from './reported-range-watch';
export * from './reconciliation.records';

export function createReconciliationService(
  db: DataSource,
  deps: { sellers: SellersService; alerts: AlertsService; clock: Clock; gateway?: TurnkeyGateway; silentAfterMs?: number },
): ReconciliationService {
  return new ReconciliationService(db, new ReconciliationsRepository(db), new BlankNumbersQuery(db), deps.sellers, deps.alerts, deps.clock, deps.gateway, deps.silentAfterMs);
}

export function createReconciliationRuns(db: DataSource, deps: { control: ReconciliationControl; starter: WorkflowStarter; sellers: SellersService; clock: Clock }): ReconciliationRuns {
  return new ReconciliationRuns(deps.control, deps.starter, deps.sellers, new ReconciliationsRepository(db), deps.clock);
}

export function createReportedRangeWatch(db: DataSource, alerts: AlertsService, clock: Clock): ReportedRangeWatch {
  return new ReportedRangeWatch(db, new ReconciliationsRepository(db), alerts, clock);
}
