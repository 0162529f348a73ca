import { TurnkeyMessageType } from '../../adapters/turnkey/turnkey-folders';
import { allowanceItemMoney } from '../../domain/invoice/allowances';
import { computeAmounts, lineTaxType } from '../../domain/invoice/compute-amounts';
import { renderF0401 } from '../../domain/mig/f0401';
import { renderF0501 } from '../../domain/mig/f0501';
import { renderG0401 } from '../../domain/mig/g0401';
import { renderG0501 } from '../../domain/mig/g0501';
import { AllowanceRecord, InvoiceMessageRecord, InvoiceWithSeller } from './invoice.records';

export interface RenderedMessage {
  type: Exclude<TurnkeyMessageType, 'E0402'>;
  /** The number the message is about: the invoice's, or the allowance's for G0401/G0501. */
  subject: string;
  /** The date the message carries, which Turnkey's identifier names. */
  date: Date;
  xml: string;
}

/** The MIG 4.1 message of an invoice: its F0401 (no follow-up message), or the F0501/G0401/G0501 of one. */
export function renderInvoiceMessage(invoice: InvoiceWithSeller, message?: InvoiceMessageRecord, allowance?: AllowanceRecord): RenderedMessage {
  if (!message) {
    return {
      type: 'F0401',
      subject: invoice.invoiceNumber,
      date: invoice.issuedAt,
      xml: renderF0401({
        number: invoice.invoiceNumber,
        issuedAt: invoice.issuedAt,
        randomNumber: invoice.randomNumber,
        seller: invoice.seller,
        input: invoice.payload,
        // Amounts follow from the stored order alone; corrections never touch them.
        amounts: computeAmounts(invoice.payload),
      }),
    };
  }
  if (message.messageType === 'F0501') {
    return {
      type: 'F0501',
      subject: invoice.invoiceNumber,
      date: message.occurredAt,
      xml: renderF0501({
        invoiceNumber: invoice.invoiceNumber,
        invoiceDate: invoice.issuedAt,
        buyerBan: invoice.buyerBan,
        sellerBan: invoice.seller.ban,
        cancelledAt: invoice.voidedAt!,
        reason: invoice.voidReason!,
        returnTaxDocumentNumber: invoice.voidApprovalNumber ?? undefined,
      }),
    };
  }
  if (!allowance) throw new Error(`message ${message.id} (${message.messageType}) has no allowance`);
  if (message.messageType === 'G0501') {
    return {
      type: 'G0501',
      subject: allowance.allowanceNumber,
      date: message.occurredAt,
      xml: renderG0501({
        allowanceNumber: allowance.allowanceNumber,
        allowanceDate: allowance.allowanceDate,
        buyerBan: invoice.buyerBan,
        sellerBan: invoice.seller.ban,
        cancelledAt: allowance.voidedAt!,
        reason: allowance.voidReason!,
      }),
    };
  }
  const b2b = Boolean(invoice.buyerBan);
  return {
    type: 'G0401',
    subject: allowance.allowanceNumber,
    date: allowance.allowanceDate,
    xml: renderG0401({
      allowanceNumber: allowance.allowanceNumber,
      allowanceDate: allowance.allowanceDate,
      seller: invoice.seller,
      buyer: { ban: invoice.buyerBan, name: invoice.buyerName },
      items: allowance.items.map((item) => {
        const line = invoice.payload.lines[item.lineIndex];
        const taxType = lineTaxType(invoice.payload, line);
        const { untaxed, tax } = allowanceItemMoney(item.amount, taxType, b2b);
        return {
          originalInvoiceDate: invoice.issuedAt,
          originalInvoiceNumber: invoice.invoiceNumber,
          originalSequenceNumber: item.lineIndex + 1,
          originalDescription: line.description,
          quantity: item.quantity,
          unit: line.unit,
          // MIG decimals carry 7 places; the platform does not require quantity × unit price = amount here.
          unitPrice: Number((untaxed / item.quantity).toFixed(7)),
          amount: untaxed,
          tax,
          taxType,
        };
      }),
    }),
  };
}
