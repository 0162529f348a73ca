import { Clock } from '../../adapters/clock/clock';
import { WorkflowStarter } from '../../adapters/temporal/workflow-starter';
import { orderWorkflowId } from '../../contracts/order-workflow';
import { DomainError } from '../../domain';
import { OrderEvent, validateOrderEvent } from '../../domain/order/order-event';
import { InvoicesService } from '../invoices';
import { ChannelRecord, SellerRecord } from '../sellers';
import { OrderEventRecord, OrderInvoiceLink, OrderRecord, OrdersRepository } from './orders.repository';

export type { OrderEventRecord, OrderInvoiceLink, OrderRecord };

/** Order events from upstream systems: stored for audit, then handed to the order's workflow. */
export class OrdersService {
  constructor(
    private readonly orders: OrdersRepository,
    private readonly invoices: InvoicesService,
    private readonly starter: WorkflowStarter,
    private readonly clock: Clock,
  ) {}

  /**
   * Validates (nothing is stored for a bad event), stores the event once per eventId, and signals the order's
   * workflow, starting it when none runs. A repeat is signalled too: the first delivery may have been lost after the
   * event was stored, and the workflow ignores an eventId it has seen.
   */
  async receive(seller: SellerRecord, channel: ChannelRecord, orderNo: string, event: OrderEvent): Promise<{ workflowId: string; state: OrderRecord['state']; repeat: boolean }> {
    const errors = validateOrderEvent(orderNo, event, this.clock.now());
    if (errors.length > 0) {
      throw new DomainError('invalid', 'ORDER_EVENT.INVALID', `the event has ${errors.length} error(s): ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`, errors);
    }
    const stored: OrderEvent = event.content ? { ...event, content: { ...event.content, billingNo: orderNo } } : event;
    const { order, repeat, reusedFrom } = await this.orders.receive(seller.id, channel.id, orderNo, stored);
    if (reusedFrom) {
      throw new DomainError(
        'conflict', 'ORDER_EVENT.ID_REUSED',
        `event id ${event.eventId} of order ${orderNo} was first received as a "${reusedFrom}" event with other content; this one is refused (the order is unchanged): send a new event with a new eventId`,
        [{ field: 'eventId', code: 'ORDER_EVENT.ID_REUSED', message: `already used by a "${reusedFrom}" event` }],
      );
    }
    const input = { sellerBan: seller.ban, channelCode: channel.code, orderNo };
    await this.starter.signalOrder(input, stored);
    return { workflowId: orderWorkflowId(seller.ban, channel.code, orderNo), state: order.state, repeat };
  }

  /** The order, its events as received and as applied, and each invoice it issued in one snapshot of its own. */
  async view(seller: SellerRecord, channel: ChannelRecord, orderNo: string) {
    const order = await this.orders.find(channel.id, orderNo);
    if (!order) throw new DomainError('not_found', 'ORDER.NOT_FOUND', `channel ${channel.code} of ${seller.ban} has no order ${orderNo}`);
    const [events, links] = await Promise.all([this.orders.events(order.id), this.orders.invoices(order.id)]);
    const invoices = await Promise.all(
      links.map(async (link) => ({ link, detail: await this.invoices.detail(seller, link.invoiceNumber) })),
    );
    return { workflowId: orderWorkflowId(seller.ban, channel.code, orderNo), order, events, invoices };
  }
}
