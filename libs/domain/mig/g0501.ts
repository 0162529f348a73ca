import { ALLOWANCE_TYPE_SELLER, buyerIdentifier, G0501_ORDER, G0501_REQUIRED } from './mig-fields';
import { appendInOrder, migDate, migDocument, migString, migTime } from './mig-xml';

export interface G0501Input {
  allowanceNumber: string;
  /** Date of the allowance being voided. */
  allowanceDate: Date;
  buyerBan?: string | null;
  sellerBan: string;
  cancelledAt: Date;
  /** CancelReason, 1–20 characters in the schema. */
  reason: string;
  remark?: string;
}

/** MIG 4.1 G0501 (void allowance): flat like F0501, AllowanceType 2 as in the G0401 it voids. */
export function renderG0501(v: G0501Input): string {
  const { doc, root } = migDocument('G0501');
  appendInOrder(root, 'G0501', G0501_ORDER, G0501_REQUIRED, {
    CancelAllowanceNumber: v.allowanceNumber,
    AllowanceType: ALLOWANCE_TYPE_SELLER,
    AllowanceDate: migDate(v.allowanceDate),
    BuyerId: buyerIdentifier(v.buyerBan),
    SellerId: v.sellerBan,
    CancelDate: migDate(v.cancelledAt),
    CancelTime: migTime(v.cancelledAt),
    CancelReason: v.reason.trim(),
    Remark: v.remark?.trim(),
  });
  return migString(doc);
}
