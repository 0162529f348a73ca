import { InvoicesService } from '../../../libs/modules/invoices';
import { OrdersService } from '../../../libs/modules/orders';
import { invoiceView } from '../invoices/invoice.view';

type OrderDetail = Awaited<ReturnType<OrdersService['view']>>;
type InvoiceDetail = Awaited<ReturnType<InvoicesService['detail']>>;

function orderInvoiceView(contentEventId: string, { invoice, allowances, messages }: InvoiceDetail) {
  return {
    ...invoiceView(invoice),
    contentEventId,
    void: invoice.voidedAt ? { at: invoice.voidedAt, reason: invoice.voidReason } : null,
    allowances,
    messages,
  };
}

/** The order: its state, its events as received (with repeats) and as applied (with their effect), its invoices. */
export function orderView({ workflowId, order, events, invoices }: OrderDetail) {
  return {
    workflowId,
    orderNo: order.orderNo,
    state: order.state,
    waitingFor: order.waitingFor,
    attention: order.attention,
    events: {
      received: events.map((e) => ({
        eventId: e.eventId,
        type: e.type,
        occurredAt: e.occurredAt,
        receivedAt: e.receivedAt,
        repeats: e.repeats,
        status: e.applied ? 'applied' : e.seenAt ? 'waiting' : 'received',
      })),
      /** Events whose id came again with other content (ORDER_EVENT.ID_REUSED): refused, and shown here. */
      refused: events
        .filter((e) => e.refused > 0)
        .map((e) => ({ eventId: e.eventId, firstType: e.type, times: e.refused, lastAt: e.lastRefusedAt, lastType: e.lastRefusedBody?.type ?? null, lastBody: e.lastRefusedBody })),
      applied: events
        .filter((e) => e.applied)
        .sort((a, b) => a.applied!.seq - b.applied!.seq)
        .map((e) => ({ seq: e.applied!.seq, eventId: e.eventId, type: e.type, occurredAt: e.occurredAt, appliedAt: e.applied!.at, effect: e.applied!.effect })),
    },
    invoices: invoices.map(({ link, detail }) => orderInvoiceView(link.contentEventId, detail)),
    updatedAt: order.updatedAt,
  };
}
