import { OrderWorkflowInput } from '../libs/contracts/order-workflow';
import { AllowanceRequest } from '../libs/domain/invoice/allowances';
import { InvoiceInput } from '../libs/domain/invoice/invoice.types';
import { OrderProcessingService, OrderSnapshot } from '../libs/modules/orders';
import { permanentOnDomainError } from './errors';
import { heartbeating } from './heartbeat';

export type { OrderSnapshot };

export const createOrderActivities = (orders: OrderProcessingService) => ({
  async loadOrder(input: OrderWorkflowInput) {
    return permanentOnDomainError(() => orders.load(input));
  },

  async issueOrderInvoice(input: OrderWorkflowInput, contentEventId: string, content: InvoiceInput) {
    return permanentOnDomainError(() => orders.issue(input, contentEventId, content));
  },

  async voidOrderInvoice(input: OrderWorkflowInput, invoiceNumber: string, key: string, reason: string): Promise<void> {
    return heartbeating(() => permanentOnDomainError(() => orders.void(input, invoiceNumber, key, reason)));
  },

  async enterOrderAllowance(input: OrderWorkflowInput, invoiceNumber: string, key: string, request: AllowanceRequest, reason?: string) {
    return heartbeating(() => permanentOnDomainError(() => orders.allowance(input, invoiceNumber, key, request, reason)));
  },

  async saveOrder(input: OrderWorkflowInput, snapshot: OrderSnapshot): Promise<void> {
    await orders.save(input, snapshot);
  },
});

export type OrderActivities = ReturnType<typeof createOrderActivities>;
