/** The alerts module's face: raise once per cause, acknowledge, resolve, list. */
export { AlertsService } from './alerts.service';
export type { AlertListener } from './alerts.service';
export * from './alert.records';
