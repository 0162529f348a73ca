import { defineSignal } from '@temporalio/workflow';
import type { OrderEvent } from '../domain/order/order-event';

/** One order workflow per seller, channel and order number; a later event reaches the same id (signal-with-start). */
export const orderWorkflowId = (sellerBan: string, channelCode: string, orderNo: string) => `order:${sellerBan}:${channelCode}:${orderNo}`;

export interface OrderWorkflowInput {
  sellerBan: string;
  channelCode: string;
  orderNo: string;
}

/** An event as the API stored it; the workflow ignores an eventId it has seen. */
export const orderEventSignal = defineSignal<[OrderEvent]>('orderEvent');

/**
 * The idempotency key of a void or allowance an order event causes: unique per seller (keys are), stable across
 * retries and restarts, so a repeat records nothing twice.
 */
export const orderRequestKey = (input: OrderWorkflowInput, eventId: string) => `order:${input.channelCode}:${input.orderNo}:${eventId}`;
