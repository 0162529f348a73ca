import { buyerIdentifier, F0501_ORDER, F0501_REQUIRED } from './mig-fields';
import { appendInOrder, migDate, migDocument, migString, migTime } from './mig-xml';

export interface F0501Input {
  invoiceNumber: string;
  /** Issue time of the voided invoice; rendered as its Asia/Taipei date. */
  invoiceDate: Date;
  buyerBan?: string | null;
  sellerBan: string;
  cancelledAt: Date;
  /** CancelReason, 1–20 characters in the schema. */
  reason: string;
  /** 專案作廢核准文號, required for a void after the period's filing deadline. */
  returnTaxDocumentNumber?: string;
  remark?: string;
}

/** MIG 4.1 F0501 (void invoice): a flat message, no Main. */
export function renderF0501(v: F0501Input): string {
  const { doc, root } = migDocument('F0501');
  appendInOrder(root, 'F0501', F0501_ORDER, F0501_REQUIRED, {
    CancelInvoiceNumber: v.invoiceNumber,
    InvoiceDate: migDate(v.invoiceDate),
    BuyerId: buyerIdentifier(v.buyerBan),
    SellerId: v.sellerBan,
    CancelDate: migDate(v.cancelledAt),
    CancelTime: migTime(v.cancelledAt),
    CancelReason: v.reason.trim(),
    ReturnTaxDocumentNumber: v.returnTaxDocumentNumber?.trim(),
    Remark: v.remark?.trim(),
  });
  return migString(doc);
}
