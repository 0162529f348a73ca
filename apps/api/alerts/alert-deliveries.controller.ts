import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AlertDeliveryService, DeliveryRecord } from '../../../libs/modules/alert-delivery';
import { StaffOnly } from '../auth/auth.decorators';

export function deliveryView(d: DeliveryRecord) {
  return {
    id: d.id, target: d.target, kind: d.kind, alerts: d.alertCount, summary: d.payload.summary, state: d.state, attempts: d.attempts,
    lastResult: d.lastResult, lastAttemptAt: d.lastAttemptAt, nextAttemptAt: d.state === 'pending' ? d.nextAttemptAt : null,
    deliveredAt: d.deliveredAt, createdAt: d.createdAt,
  };
}

/** Where alert notices went: e-mail and webhook, each delivery's state, attempts and last result. */
@ApiTags('alerts')
@ApiBearerAuth()
@StaffOnly()
@Controller('api/v1/alert-deliveries')
export class AlertDeliveriesController {
  constructor(@Inject(AlertDeliveryService) private readonly delivery: AlertDeliveryService) {}

  @Get()
  async list() {
    const [{ targets, last }, recent] = await Promise.all([this.delivery.latest(), this.delivery.list(50)]);
    return { targets, last: last.map(deliveryView), deliveries: recent.map(deliveryView) };
  }
}
