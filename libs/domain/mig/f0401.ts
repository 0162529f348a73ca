import { isB2B, lineTaxType } from '../invoice/compute-amounts';
import { invoiceTypeOf } from '../track-file';
import { IssuedInvoice, SellerParty } from '../invoice/invoice.types';
import { printMarkOf } from '../invoice/validate-delivery';
import {
  B2C_BUYER_IDENTIFIER,
  buyerIdentifier,
  F0401_AMOUNT_ORDER,
  F0401_AMOUNT_REQUIRED,
  F0401_ITEM_ORDER,
  F0401_ITEM_REQUIRED,
  F0401_MAIN_ORDER,
  F0401_MAIN_REQUIRED,
  F0401_ROOT_ORDER,
  MIG_PARTY_ORDER,
  MIG_PARTY_REQUIRED,
} from './mig-fields';
import {
  appendInOrder,
  migDate,
  migDecimal,
  migDocument,
  migSequence,
  migString,
  migTime,
  MigValue,
  requireItems,
  XMLBuilder,
} from './mig-xml';

const text = (value: string | null | undefined): string | undefined => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
};

/**
 * Seller RoleDescription. The PDF lists Seller/Address as mandatory, but SellerParty allows null: a seller without an
 * address gets none rather than an invented one, and the platform's answer will say so.
 */
export function sellerNode(seller: SellerParty): (element: XMLBuilder) => void {
  return (element) =>
    appendInOrder(element, 'Seller', MIG_PARTY_ORDER, MIG_PARTY_REQUIRED, {
      Identifier: seller.ban,
      Name: seller.name,
      Address: text(seller.address),
    });
}

/**
 * Buyer RoleDescription. B2C: Identifier `0000000000`; Name is mandatory (1–60) but a consumer often has none, and
 * the research found no authoritative filler (one source writes `0000`), so the consumer's name is used when given,
 * else the same 10 zeros as the identifier, which fits the length facet.
 */
export function buyerNode(buyer: {
  ban?: string | null;
  name?: string | null;
  address?: string | null;
  email?: string | null;
}): (element: XMLBuilder) => void {
  return (element) =>
    appendInOrder(element, 'Buyer', MIG_PARTY_ORDER, MIG_PARTY_REQUIRED, {
      Identifier: buyerIdentifier(buyer.ban),
      Name: text(buyer.name) ?? B2C_BUYER_IDENTIFIER,
      Address: text(buyer.address),
      EmailAddress: text(buyer.email),
    });
}

/** MIG 4.1 F0401 (issue invoice, storage) for a B2B or B2C invoice. */
export function renderF0401(invoice: IssuedInvoice): string {
  const { input, amounts } = invoice;
  const b2b = isB2B(input);
  const lines = input.lines;
  const zeroRated = lines.some((line) => lineTaxType(input, line) === '2');
  const donated = Boolean(text(input.npoban));
  // These carriers have no separate hidden ID, so CarrierId2 repeats CarrierId1.
  const carrierId = text(input.carrier?.id);

  requireItems('F0401.Details', 'ProductItem', lines.length);
  const { doc, root } = migDocument('F0401');
  const main: Partial<Record<string, MigValue>> = {
    InvoiceNumber: invoice.number,
    InvoiceDate: migDate(invoice.issuedAt),
    InvoiceTime: migTime(invoice.issuedAt),
    Seller: sellerNode(invoice.seller),
    Buyer: buyerNode(b2b ? input.buyer : { ...input.buyer, ban: null }),
    MainRemark: text(input.mainRemark),
    CustomsClearanceMark: zeroRated ? input.zeroTax?.customsClearanceMark : undefined,
    InvoiceType: invoiceTypeOf(input),
    DonateMark: donated ? '1' : '0',
    CarrierType: carrierId ? input.carrier?.type : undefined,
    CarrierId1: carrierId,
    CarrierId2: carrierId,
    PrintMark: printMarkOf(input) ? 'Y' : 'N',
    NPOBAN: donated ? text(input.npoban) : undefined,
    RandomNumber: invoice.randomNumber,
    ZeroTaxRateReason: zeroRated ? input.zeroTax?.reason : undefined,
  };
  appendInOrder(root, 'F0401', F0401_ROOT_ORDER, F0401_ROOT_ORDER, {
    Main: (element) => appendInOrder(element, 'F0401.Main', F0401_MAIN_ORDER, F0401_MAIN_REQUIRED, main),
    Details: (element) =>
      lines.forEach((line, i) =>
        appendInOrder(element.ele('ProductItem'), `F0401.ProductItem[${i}]`, F0401_ITEM_ORDER, F0401_ITEM_REQUIRED, {
          Description: line.description,
          Quantity: migDecimal(line.quantity),
          Unit: text(line.unit),
          UnitPrice: migDecimal(line.unitPrice),
          TaxType: input.taxType === '9' ? line.taxType : input.taxType,
          Amount: migDecimal(line.amount),
          SequenceNumber: migSequence(i + 1),
          Remark: text(line.remark),
        }),
      ),
    Amount: (element) =>
      appendInOrder(element, 'F0401.Amount', F0401_AMOUNT_ORDER, F0401_AMOUNT_REQUIRED, {
        SalesAmount: migDecimal(amounts.salesAmount),
        FreeTaxSalesAmount: migDecimal(amounts.freeTaxSalesAmount),
        ZeroTaxSalesAmount: migDecimal(amounts.zeroTaxSalesAmount),
        TaxType: amounts.taxType,
        TaxRate: migDecimal(amounts.taxRate),
        TaxAmount: migDecimal(amounts.taxAmount),
        TotalAmount: migDecimal(amounts.totalAmount),
      }),
  });
  return migString(doc);
}
