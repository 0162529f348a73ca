import { OrderWorkflowInput } from '../../contracts/order-workflow';
import { AllowanceResult } from '../../contracts/workflows';
import { DomainError } from '../../domain';
import { AllowanceRequest } from '../../domain/invoice/allowances';
import { lineTaxType } from '../../domain/invoice/compute-amounts';
import { InvoiceInput } from '../../domain/invoice/invoice.types';
import { OrderBook, OrderInvoice, emptyOrderBook } from '../../domain/order/order-book';
import { OrderTrigger } from '../../domain/order/order-event';
import { AlertsService } from '../alerts';
import { InvoiceOperations, InvoiceRecord, InvoicesService, lifecycleRecordOf } from '../invoices';
import { ChannelRecord, SellerRecord, SellersService } from '../sellers';
import { OrderRecord, OrderSnapshot, OrdersRepository } from './orders.repository';

const ENDED = ['voided', 'cancelled_blank'];

/**
 * What the order workflow does to the world, each step through the same services the API uses: issuing
 * (InvoicesService: validation, allocator, lifecycle; idempotent on the order number as BillingNo), voids and
 * allowances (InvoiceOperations: Updates on the invoice's lifecycle, which upload the invoice first).
 */
export class OrderProcessingService {
  constructor(
    private readonly orders: OrdersRepository,
    private readonly sellers: SellersService,
    private readonly invoices: InvoicesService,
    private readonly operations: InvoiceOperations,
    private readonly alerts: AlertsService,
  ) {}

  private async context(input: OrderWorkflowInput): Promise<{ seller: SellerRecord; channel: ChannelRecord; order: OrderRecord }> {
    const seller = await this.sellers.getSeller(input.sellerBan);
    const channel = await this.sellers.getChannel(input.sellerBan, input.channelCode);
    const order = await this.orders.find(channel.id, input.orderNo);
    if (!order) throw new DomainError('not_found', 'ORDER.NOT_FOUND', `channel ${input.channelCode} of ${input.sellerBan} has no order ${input.orderNo}`);
    return { seller, channel, order };
  }

  /** The book as the database has it (every stored event, every recorded effect) and the channel's triggers now. */
  async load(input: OrderWorkflowInput): Promise<{ book: OrderBook; triggers: OrderTrigger[] }> {
    const { channel, order } = await this.context(input);
    const [events, links] = await Promise.all([this.orders.events(order.id), this.orders.invoices(order.id)]);
    const book = emptyOrderBook(input.orderNo);
    book.events = events.map((e) => e.body);
    for (const e of events) if (e.applied) book.applied[e.eventId] = e.applied;
    Object.assign(book, { issued: links.length, reissue: order.reissue, closed: order.closed, attention: order.attention, issueRefusedAt: order.issueRefusedAt });
    const last = links.at(-1);
    const invoice = last && (await this.invoices.withSeller(last.invoiceId));
    if (invoice && !ENDED.includes(invoice.status)) book.invoice = await this.orderInvoice(invoice, last.contentEventId);
    // Voided from outside the order (by staff): the order holds no invoice any more and issues none of itself.
    else if (invoice && !order.reissue && !order.closed) book.closed = 'voided';
    return { book, triggers: channel.issueTriggers };
  }

  async issue(input: OrderWorkflowInput, contentEventId: string, content: InvoiceInput): Promise<OrderInvoice> {
    const { seller, channel, order } = await this.context(input);
    const { invoice } = await this.invoices.issueOrder(seller, channel.id, { ...content, billingNo: input.orderNo });
    await this.orders.linkInvoice(order.id, invoice, contentEventId);
    return this.orderInvoice(invoice, contentEventId);
  }

  /** Waits, inside the invoice's lifecycle, for the invoice to be uploaded before voiding it (SPEC's void rules). */
  async void(input: OrderWorkflowInput, invoiceNumber: string, key: string, reason: string): Promise<void> {
    const seller = await this.sellers.getSeller(input.sellerBan);
    await this.operations.void(seller, invoiceNumber, { key, reason, mode: 'void' });
  }

  async allowance(input: OrderWorkflowInput, invoiceNumber: string, key: string, request: AllowanceRequest, reason?: string): Promise<AllowanceResult> {
    const seller = await this.sellers.getSeller(input.sellerBan);
    return this.operations.allowance(seller, invoiceNumber, { key, ...(request.whole ? { whole: true } : { lines: request.lines }), reason });
  }

  /**
   * Saves the run's progress. Staff hear of an order needing attention (a content change too late to re-issue, a
   * refused issue, void or allowance) as one `order.attention` alert per order, resolved once the order is clear.
   */
  async save(input: OrderWorkflowInput, snapshot: OrderSnapshot): Promise<void> {
    const { order } = await this.context(input);
    await this.orders.save(order.id, snapshot);
    const causeKey = `order:${order.id}`;
    if (snapshot.attention && snapshot.attention !== order.attention) {
      await this.alerts.raise({
        kind: 'order.attention',
        severity: 'warning',
        sellerId: order.sellerId,
        channelId: order.channelId,
        subject: { type: 'order', id: order.id },
        causeKey,
        message: `order ${input.orderNo} of channel ${input.channelCode}: ${snapshot.attention}`,
        detail: { orderNo: input.orderNo, channel: input.channelCode },
      });
    } else if (!snapshot.attention && order.attention) {
      await this.alerts.resolve('order.attention', causeKey);
    }
  }

  private async orderInvoice(invoice: InvoiceRecord, contentEventId: string): Promise<OrderInvoice> {
    const { facts } = lifecycleRecordOf(invoice);
    const allowances = await this.invoices.allowancesOf(invoice.id);
    return {
      invoiceNumber: invoice.invoiceNumber,
      contentEventId,
      content: invoice.payload,
      lines: invoice.payload.lines.map((line) => ({
        description: line.description,
        quantity: line.quantity,
        unitPrice: line.unitPrice,
        amount: line.amount,
        taxType: lineTaxType(invoice.payload, line),
      })),
      filingDeadline: facts.filingDeadline,
      allowances: allowances.map((a) => ({ number: a.allowanceNumber, live: a.status === 'live', lines: a.items })),
    };
  }
}
