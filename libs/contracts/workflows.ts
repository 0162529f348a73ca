import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { AllowanceLine, AllowanceLineFact, ExistingAllowance } from '../domain/invoice/allowances';
import type { LifecycleState } from '../domain/invoice/operation-rules';

export type { LifecycleState };

/** Workflow types as registered by the worker; recorded histories name them, so they never change. */
export const WORKFLOW_TYPES = {
  invoiceLifecycle: 'invoiceLifecycle',
  orderImport: 'orderImport',
  sweepUnstartedLifecycles: 'sweepUnstartedLifecycles',
  orderEvents: 'orderEvents',
} as const;

/** Workflow ids carry the business key, so a retried start finds the running workflow instead of a second one. */
export const invoiceWorkflowId = (sellerBan: string, invoiceNumber: string) => `invoice:${sellerBan}:${invoiceNumber}`;
export const importWorkflowId = (importId: string) => `order-import:${importId}`;

export type DeadlineState = 'on_time' | 'due_soon' | 'overdue' | 'past_legal' | 'done';
export type FollowUpMessageType = 'F0501' | 'G0401' | 'G0501';

/** Absolute instants (ISO 8601): timers are set against them, so a backdated invoice is judged correctly. */
export interface DeadlineTimes {
  warnAt: string;
  dueAt: string;
  legalDueAt: string;
}

/** A void, allowance or allowance void waiting for its own upload. */
export interface FollowUpMessage extends DeadlineTimes {
  messageId: string;
  messageType: FollowUpMessageType;
}

/** What the workflow needs to judge voids and allowances without asking the database. */
export interface InvoiceFacts {
  b2b: boolean;
  /**
   * Only in inputs of runs started before the lines left the input: those runs plan allowances against them, as
   * their histories did. Newer runs leave the amounts to recordAllowance, which plans under the invoice's row lock;
   * a 9,999-line invoice would not fit Temporal's 2 MB payload limit.
   */
  lines?: AllowanceLineFact[];
  /** After this instant a void needs a special approval number. */
  filingDeadline: string;
}

export interface InvoiceLifecycleInput extends DeadlineTimes {
  invoiceId: string;
  sellerBan: string;
  invoiceNumber: string;
  notifyBuyer: boolean;
  facts: InvoiceFacts;
  /** Set when a finished lifecycle is started again for a later operation (update-with-start): the state so far. */
  resume?: {
    state: LifecycleState;
    voidRequestKey: string | null;
    /** `lines` only where the input has `facts.lines` (the runs that plan allowances themselves). */
    allowances: (Omit<ExistingAllowance, 'lines'> & { lines?: AllowanceLine[]; requestKey: string; voidRequestKey: string | null })[];
    openMessages: FollowUpMessage[];
  };
}

export interface LifecycleStatus {
  state: LifecycleState;
  attempts: number;
  deadlineState: DeadlineState;
  lastError?: { code: string; message: string };
  pendingMessages: number;
}

/** Corrections staff may make before resending a rejected invoice: nothing that changes numbers or amounts. */
export interface ResendCorrections {
  buyerName?: string;
  buyerAddress?: string;
  mainRemark?: string;
  lineDescriptions?: { index: number; description: string }[];
}

export interface VoidRequest {
  /** Idempotency key: the same key again has no second effect. */
  key: string;
  reason: string;
  /** `void` (作廢, F0501; a not-yet-accepted invoice is uploaded first) or `cancel_blank` (空白作廢, never uploaded). */
  mode: 'void' | 'cancel_blank';
  approvalNumber?: string;
  /**
   * Set by the service when the database already holds the platform's rejection: the workflow may not have seen it
   * yet, and waits for it rather than refusing a cancel-as-blank as still in flight.
   */
  verdictRecorded?: boolean;
}

export interface VoidResult {
  invoiceNumber: string;
  state: LifecycleState;
  messageId: string | null;
  voidedAt: string;
}

export interface AllowanceRequestInput {
  key: string;
  whole?: boolean;
  lines?: { lineIndex: number; quantity?: number; amount: number }[];
  reason?: string;
}

export interface AllowanceResult {
  allowanceNumber: string;
  messageId: string;
  lines: AllowanceLine[];
  allowanceDate: string;
}

export interface AllowanceVoidRequest {
  key: string;
  allowanceNumber: string;
  reason: string;
}

export const lifecycleStatusQuery = defineQuery<LifecycleStatus>('status');
export const resendUpdate = defineUpdate<LifecycleStatus, [ResendCorrections]>('resend');
export const voidUpdate = defineUpdate<VoidResult, [VoidRequest]>('void');
export const allowanceUpdate = defineUpdate<AllowanceResult, [AllowanceRequestInput]>('allowance');
export const allowanceVoidUpdate = defineUpdate<{ allowanceNumber: string; messageId: string }, [AllowanceVoidRequest]>('voidAllowance');

export interface OrderImportInput {
  importId: string;
}
