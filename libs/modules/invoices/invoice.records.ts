import { invoiceFacts } from '../../contracts/invoice-facts';
import { LifecycleRecord } from '../../contracts/lifecycle-input';
import { DeadlineState, FollowUpMessage, FollowUpMessageType, LifecycleState } from '../../contracts/workflows';
import { AllowanceLine } from '../../domain/invoice/allowances';
import { InvoiceInput } from '../../domain/invoice/invoice.types';
import { TurnkeyMessageType } from '../../adapters/turnkey/turnkey-folders';

export interface PlatformError {
  code: string;
  message: string;
}

/** An invoice as stored: money in whole dollars, instants as Date. */
export interface InvoiceRecord {
  id: string;
  sellerId: string;
  channelId: string | null;
  channelCode: string | null;
  period: string;
  invoiceNumber: string;
  billingNo: string;
  invoiceType: string;
  taxType: string;
  buyerBan: string | null;
  buyerName: string | null;
  buyerEmail: string | null;
  issuedAt: Date;
  randomNumber: string;
  amounts: { sales: number; freeTaxSales: number; zeroTaxSales: number; tax: number; total: number };
  payload: InvoiceInput;
  payloadHash: string;
  status: LifecycleState;
  deadlineState: DeadlineState;
  warnAt: Date;
  dueAt: Date;
  legalDueAt: Date;
  /** When Turnkey reported the F0401 sent (G) to the platform; the latest attempt's. */
  sentAt: Date | null;
  acceptedAt: Date | null;
  lastError: PlatformError | null;
  voidReason: string | null;
  voidApprovalNumber: string | null;
  voidedAt: Date | null;
  voidRequestKey: string | null;
}

/** The invoice with the seller data every message carries. */
export interface InvoiceWithSeller extends InvoiceRecord {
  seller: { ban: string; name: string; address: string | null };
}

export type MessageStatus = 'pending' | 'uploading' | 'sent' | 'accepted' | 'rejected';

export interface InvoiceMessageRecord {
  id: string;
  invoiceId: string;
  allowanceId: string | null;
  messageType: FollowUpMessageType;
  occurredAt: Date;
  status: MessageStatus;
  deadlineState: DeadlineState;
  warnAt: Date;
  dueAt: Date;
  legalDueAt: Date;
  lastError: PlatformError | null;
}

export interface TurnkeyUploadRecord {
  id: string;
  invoiceId: string;
  messageId: string | null;
  messageType: TurnkeyMessageType;
  fileName: string;
  invoiceIdentifier: string;
  deliveredAt: Date;
  /** When Turnkey reported the file's message sent (G); the outcome stays pending until C or E. */
  sentAt: Date | null;
  outcome: 'pending' | 'accepted' | 'rejected';
  error: PlatformError | null;
  outcomeAt: Date | null;
}

export interface AllowanceRecord {
  id: string;
  sellerId: string;
  invoiceId: string;
  allowanceNumber: string;
  allowanceDate: Date;
  reason: string | null;
  items: AllowanceLine[];
  amounts: { taxable: number; zeroTax: number; freeTax: number; tax: number };
  status: 'live' | 'voided';
  requestKey: string;
  voidReason: string | null;
  voidedAt: Date | null;
  voidRequestKey: string | null;
}

/** A message's upload and deadlines as the lifecycle workflow tracks them. */
export function followUpOf(message: InvoiceMessageRecord): FollowUpMessage {
  return {
    messageId: message.id,
    messageType: message.messageType,
    warnAt: message.warnAt.toISOString(),
    dueAt: message.dueAt.toISOString(),
    legalDueAt: message.legalDueAt.toISOString(),
  };
}

export const errorOf = (code: string | null, message: string | null): PlatformError | null => (code ? { code, message: message ?? '' } : null);

/** What a lifecycle workflow starts from, as stored. */
export function lifecycleRecordOf(invoice: InvoiceRecord): LifecycleRecord {
  return {
    invoiceId: invoice.id,
    invoiceNumber: invoice.invoiceNumber,
    warnAt: invoice.warnAt,
    dueAt: invoice.dueAt,
    legalDueAt: invoice.legalDueAt,
    notifyBuyer: Boolean(invoice.buyerEmail),
    facts: invoiceFacts(invoice.payload, invoice.period),
  };
}
