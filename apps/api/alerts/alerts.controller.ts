import { Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AlertState, AlertsService } from '../../../libs/modules/alerts';
import type { Principal } from '../../../libs/modules/sellers';
import { SellersService } from '../../../libs/modules/sellers';
import { CurrentPrincipal, FinanceActs, StaffOnly, actorOf } from '../auth/auth.decorators';
import { AlertsQueryDto } from '../reconciliation/reconciliation.dto';
import { alertView } from '../reconciliation/reconciliation.view';

@ApiTags('alerts')
@ApiBearerAuth()
@StaffOnly()
@Controller('api/v1/alerts')
export class AlertsController {
  constructor(
    @Inject(AlertsService) private readonly alerts: AlertsService,
    @Inject(SellersService) private readonly sellers: SellersService,
  ) {}

  /** Newest sighting first; `state` defaults to what still needs someone (open, acknowledged). */
  @Get()
  async list(@Query() query: AlertsQueryDto) {
    const sellerId = query.seller ? (await this.sellers.getSeller(query.seller)).id : undefined;
    const { alerts, nextCursor } = await this.alerts.list({
      states: (query.state?.split(',') as AlertState[] | undefined) ?? ['open', 'acknowledged'],
      kinds: query.kind?.split(','),
      sellerId,
      limit: query.limit,
      cursor: query.cursor,
    });
    return { alerts: alerts.map(alertView), nextCursor };
  }

  @Post(':id/acknowledge')
  @FinanceActs()
  @HttpCode(200)
  async acknowledge(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    return alertView(await this.alerts.acknowledge(id, { name: actorOf(principal), keyId: principal.keyId ?? null }));
  }
}
