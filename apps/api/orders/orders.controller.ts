import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { OrderEvent } from '../../../libs/domain/order/order-event';
import { OrdersService } from '../../../libs/modules/orders';
import { SellersService } from '../../../libs/modules/sellers';
import { OwnChannel } from '../auth/auth.decorators';
import { orderView } from './order.view';
import { OrderEventDto } from './orders.dto';

/** The validated body as a plain event: no class instance, no absent fields, the instant in UTC. */
function eventOf(body: OrderEventDto): OrderEvent {
  const event: OrderEvent = JSON.parse(JSON.stringify(body));
  return { ...event, occurredAt: new Date(body.occurredAt).toISOString() };
}

@ApiTags('orders (upstream order events)')
@ApiBearerAuth()
@Controller('api/v1/sellers/:ban/channels/:code/orders')
export class OrdersController {
  constructor(
    @Inject(SellersService) private readonly sellers: SellersService,
    @Inject(OrdersService) private readonly orders: OrdersService,
  ) {}

  /** 202: stored and handed to the order's workflow, which acts on it by the channel's triggers; see GET for the effect. */
  @Post(':orderNo/events')
  @HttpCode(202)
  @OwnChannel()
  async event(@Param('ban') ban: string, @Param('code') code: string, @Param('orderNo') orderNo: string, @Body() body: OrderEventDto) {
    const channel = await this.sellers.getChannel(ban, code);
    const seller = await this.sellers.getSeller(ban);
    return this.orders.receive(seller, channel, orderNo, eventOf(body));
  }

  @Get(':orderNo')
  @OwnChannel()
  async get(@Param('ban') ban: string, @Param('code') code: string, @Param('orderNo') orderNo: string) {
    const channel = await this.sellers.getChannel(ban, code);
    const seller = await this.sellers.getSeller(ban);
    return orderView(await this.orders.view(seller, channel, orderNo));
  }
}
