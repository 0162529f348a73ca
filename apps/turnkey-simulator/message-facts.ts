import { TurnkeyMessageType, blankReportIdentifier, invoiceIdentifierOfDay } from '../../libs/adapters/turnkey/turnkey-folders';
import { XmlElement, findText } from './message-parser';

/** What the simulator needs to know about a received message, as far as it can be read. */
export interface MessageFacts {
  /** Turnkey's INVOICE_IDENTIFIER; null when the message does not carry what it is built from. */
  identifier: string | null;
  fromParty?: string;
  toParty?: string;
  /** The invoice the message is about (F0401 its own, F0501 the voided one): number and InvoiceDate, `yyyyMMdd`. */
  invoice?: { number: string; day: string };
}

/** The facts of a message that could not be read at all. */
export const NO_FACTS: MessageFacts = { identifier: null };

function attempt(compute: () => string): string | null {
  try {
    return compute();
  } catch {
    return null;
  }
}

/** Who sent it, Turnkey's INVOICE_IDENTIFIER and the invoice it names, read even from an invalid message. */
export function messageFacts(type: TurnkeyMessageType, root: XmlElement): MessageFacts {
  const get = (path: string) => findText(root, path) ?? '';
  switch (type) {
    case 'F0401':
      return {
        identifier: attempt(() => invoiceIdentifierOfDay(type, get('Main/InvoiceNumber'), get('Main/InvoiceDate'))),
        fromParty: get('Main/Seller/Identifier'),
        toParty: get('Main/Buyer/Identifier'),
        invoice: { number: get('Main/InvoiceNumber'), day: get('Main/InvoiceDate') },
      };
    case 'F0501':
      return {
        identifier: attempt(() => invoiceIdentifierOfDay(type, get('CancelInvoiceNumber'), get('CancelDate'))),
        fromParty: get('SellerId'),
        toParty: get('BuyerId'),
        invoice: { number: get('CancelInvoiceNumber'), day: get('InvoiceDate') },
      };
    case 'G0401':
      return {
        identifier: attempt(() => invoiceIdentifierOfDay(type, get('Main/AllowanceNumber'), get('Main/AllowanceDate'))),
        fromParty: get('Main/Seller/Identifier'),
        toParty: get('Main/Buyer/Identifier'),
      };
    case 'G0501':
      return {
        identifier: attempt(() => invoiceIdentifierOfDay(type, get('CancelAllowanceNumber'), get('CancelDate'))),
        fromParty: get('SellerId'),
        toParty: get('BuyerId'),
      };
    case 'E0402': {
      const [branch, track, period] = [get('Main/BranchBan'), get('Main/InvoiceTrack'), get('Main/YearMonth')];
      return {
        identifier: branch && track && period ? attempt(() => blankReportIdentifier(branch, track, period)) : null,
        fromParty: get('Main/HeadBan'),
      };
    }
  }
}
