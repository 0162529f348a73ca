import { defineQuery, defineUpdate } from '@temporalio/workflow';

/** Workflow ids carry the business key, so a retried start finds the running workflow instead of a second one. */
export const invoiceWorkflowId = (sellerBan: string, invoiceNumber: string) => `invoice:${sellerBan}:${invoiceNumber}`;
export const importWorkflowId = (importId: string) => `order-import:${importId}`;

export interface InvoiceLifecycleInput {
  invoiceId: string;
  sellerBan: string;
  invoiceNumber: string;
  /** Absolute instants (ISO 8601): timers are set against them, so a backdated invoice is judged correctly. */
  warnAt: string;
  dueAt: string;
  legalDueAt: string;
  notifyBuyer: boolean;
}

export type LifecycleState = 'issued' | 'uploading' | 'accepted' | 'rejected';

export interface LifecycleStatus {
  state: LifecycleState;
  attempts: number;
  deadlineState: 'on_time' | 'due_soon' | 'overdue' | 'past_legal' | 'done';
  lastError?: { code: string; message: string };
}

/** Corrections staff may make before resending a rejected invoice: nothing that changes numbers or amounts. */
export interface ResendCorrections {
  buyerName?: string;
  buyerAddress?: string;
  mainRemark?: string;
  lineDescriptions?: { index: number; description: string }[];
}

export const lifecycleStatusQuery = defineQuery<LifecycleStatus>('status');
export const resendUpdate = defineUpdate<LifecycleStatus, [ResendCorrections]>('resend');

export interface OrderImportInput {
  importId: string;
}
