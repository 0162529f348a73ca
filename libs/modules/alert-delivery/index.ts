/** The alert-delivery module's face: the outbox of alert notices and where they went. */
export { AlertDeliveryService } from './alert-delivery.service';
export type { AlertDeliverySettings, TextMailer } from './alert-delivery.service';
export type { DeliveryRecord, DeliveryState, DeliveryTarget } from './alert-deliveries.repository';
