import { LineTaxType, SellerParty } from '../invoice/invoice.types';
import { exactSum } from '../invoice/money';
import { buyerNode, sellerNode } from './f0401';
import {
  ALLOWANCE_TYPE_SELLER,
  G0401_AMOUNT_ORDER,
  G0401_AMOUNT_REQUIRED,
  G0401_ITEM_ORDER,
  G0401_ITEM_REQUIRED,
  G0401_MAIN_ORDER,
  G0401_MAIN_REQUIRED,
  G0401_ROOT_ORDER,
} from './mig-fields';
import { appendInOrder, migDate, migDecimal, migDocument, migSequence, migString, requireItems } from './mig-xml';

export interface G0401Item {
  originalInvoiceDate: Date;
  originalInvoiceNumber: string;
  /** 1-based line number of the original invoice (its F0401 SequenceNumber). */
  originalSequenceNumber?: number;
  originalDescription: string;
  quantity: number;
  unit?: string;
  unitPrice: number;
  /** Untaxed, for B2B and B2C alike. */
  amount: number;
  tax: number;
  taxType: LineTaxType;
}

export interface G0401Input {
  allowanceNumber: string;
  allowanceDate: Date;
  seller: SellerParty;
  buyer: { ban?: string | null; name?: string | null };
  items: G0401Item[];
}

/**
 * MIG 4.1 G0401 (seller-issued allowance, AllowanceType 2). Amount: TaxAmount = sum of item tax, TotalAmount = sum of
 * the untaxed item amounts (unlike F0401 B2B, the total excludes tax). OriginalInvoiceSellerId/BuyerId (optional,
 * new in 4.1) are not sent.
 */
export function renderG0401(a: G0401Input): string {
  requireItems('G0401.Details', 'ProductItem', a.items.length);
  const { doc, root } = migDocument('G0401');
  appendInOrder(root, 'G0401', G0401_ROOT_ORDER, G0401_ROOT_ORDER, {
    Main: (element) =>
      appendInOrder(element, 'G0401.Main', G0401_MAIN_ORDER, G0401_MAIN_REQUIRED, {
        AllowanceNumber: a.allowanceNumber,
        AllowanceDate: migDate(a.allowanceDate),
        Seller: sellerNode(a.seller),
        Buyer: buyerNode(a.buyer),
        AllowanceType: ALLOWANCE_TYPE_SELLER,
      }),
    Details: (element) =>
      a.items.forEach((item, i) =>
        appendInOrder(element.ele('ProductItem'), `G0401.ProductItem[${i}]`, G0401_ITEM_ORDER, G0401_ITEM_REQUIRED, {
          OriginalInvoiceDate: migDate(item.originalInvoiceDate),
          OriginalInvoiceNumber: item.originalInvoiceNumber,
          OriginalSequenceNumber:
            item.originalSequenceNumber === undefined ? undefined : migSequence(item.originalSequenceNumber),
          OriginalDescription: item.originalDescription,
          Quantity: migDecimal(item.quantity),
          Unit: item.unit?.trim(),
          UnitPrice: migDecimal(item.unitPrice),
          Amount: migDecimal(item.amount),
          Tax: migDecimal(item.tax),
          AllowanceSequenceNumber: migSequence(i + 1),
          TaxType: item.taxType,
        }),
      ),
    Amount: (element) =>
      appendInOrder(element, 'G0401.Amount', G0401_AMOUNT_ORDER, G0401_AMOUNT_REQUIRED, {
        TaxAmount: migDecimal(exactSum(a.items.map((item) => item.tax))),
        TotalAmount: migDecimal(exactSum(a.items.map((item) => item.amount))),
      }),
  });
  return migString(doc);
}
