import { isValidBan } from '../../libs/domain/ban';
import { migLimitProblems } from '../../libs/domain/mig/mig-limits';
import { TurnkeyMessageType } from '../../libs/adapters/turnkey/turnkey-folders';
import { MessageFacts } from './message-facts';
import { MessageProblem, ParsedMessage, XmlElement, findText } from './message-parser';

const NAMESPACE = (type: TurnkeyMessageType) => `urn:GEINV:eInvoiceMessage:${type}:4.1`;

const ROOT_ELEMENT: Record<TurnkeyMessageType, string> = {
  F0401: 'Invoice',
  F0501: 'CancelInvoice',
  G0401: 'Allowance',
  G0501: 'CancelAllowance',
  E0402: 'BranchTrackBlank',
};

const B2C_BUYER = '0000000000';

// A small XSD stand-in: element sequences with required/optional/repeated children and value formats. The lists are
// the MIG 4.1 orders from the research notes (.tmp/mig41-research.md §1–5); kept here on purpose so the simulator
// checks the generator against an independent copy rather than against itself.

type Check = (text: string) => string | undefined;

interface Rule {
  name: string;
  required: boolean;
  repeat?: boolean;
  check?: Check;
  children?: Rule[];
}

const clip = (text: string, max = 20) => (text.length > max ? `${text.slice(0, max)}…` : text);
const matches = (re: RegExp, what: string): Check => (t) => (re.test(t) ? undefined : `must be ${what}, got '${clip(t)}'`);

function isCalendarDay(t: string): boolean {
  if (!/^\d{8}$/.test(t)) return false;
  const [y, m, d] = [Number(t.slice(0, 4)), Number(t.slice(4, 6)), Number(t.slice(6, 8))];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

const DAY: Check = (t) => (isCalendarDay(t) ? undefined : `must be a date yyyyMMdd, got '${clip(t)}'`);
const TIME = matches(/^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/, 'a time HH:mm:ss');
const INVOICE_NUMBER = matches(/^[A-Z]{2}\d{8}$/, 'an invoice number [A-Z]{2}\\d{8}');
const PARTY_ID = matches(/^(\d{8}|\d{10})$/, 'digits only (8, or 10 for a B2C buyer)');
const NON_EMPTY: Check = (t) => (t.length > 0 ? undefined : 'must not be empty');
const DECIMAL = matches(/^-?\d+(\.\d+)?$/, 'a decimal number');
const NON_NEGATIVE = matches(/^\d+(\.\d+)?$/, 'a non-negative number');
const NON_NEGATIVE_INTEGER = matches(/^\d+$/, 'a non-negative integer');

const M = (name: string, check?: Check, children?: Rule[]): Rule => ({ name, required: true, check, children });
const O = (name: string, check?: Check): Rule => ({ name, required: false, check });

const ROLE: Rule[] = [
  M('Identifier', PARTY_ID), M('Name', NON_EMPTY),
  // Seller/Address is in the official samples but not confirmed as XSD-required; the simulator does not insist.
  O('Address'), O('PersonInCharge'), O('TelephoneNumber'), O('FacsimileNumber'), O('EmailAddress'), O('CustomerNumber'),
  O('RoleRemark'),
];

const F0401_RULES: Rule[] = [
  M('Main', undefined, [
    M('InvoiceNumber', INVOICE_NUMBER), M('InvoiceDate', DAY), M('InvoiceTime', TIME),
    M('Seller', undefined, ROLE), M('Buyer', undefined, ROLE),
    O('BuyerRemark', matches(/^[1-4]$/, '1, 2, 3 or 4')), O('MainRemark'), O('CustomsClearanceMark', matches(/^[12]$/, '1 or 2')),
    O('Category'), O('RelateNumber'), M('InvoiceType', matches(/^0[78]$/, '07 or 08')), O('GroupMark'),
    M('DonateMark', matches(/^[01]$/, '0 or 1')), O('CarrierType'), O('CarrierId1'), O('CarrierId2'),
    M('PrintMark', matches(/^[YN]$/, 'Y or N')), O('NPOBAN'), O('RandomNumber', matches(/^\d{4}$/, '4 digits')),
    O('BondedAreaConfirm'), O('ZeroTaxRateReason', matches(/^7[1-9]$/, '71..79')), O('Reserved1'), O('Reserved2'),
  ]),
  M('Details', undefined, [
    {
      name: 'ProductItem', required: true, repeat: true, children: [
        M('Description', NON_EMPTY), M('Quantity', DECIMAL), O('Unit'), M('UnitPrice', DECIMAL),
        M('TaxType', matches(/^[1-4]$/, '1, 2, 3 or 4')), M('Amount', DECIMAL), M('SequenceNumber', NON_EMPTY), O('Remark'),
        O('RelateNumber'),
      ],
    },
  ]),
  M('Amount', undefined, [
    M('SalesAmount', NON_NEGATIVE), M('FreeTaxSalesAmount', NON_NEGATIVE), M('ZeroTaxSalesAmount', NON_NEGATIVE),
    M('TaxType', matches(/^[12349]$/, '1, 2, 3, 4 or 9')), M('TaxRate', NON_NEGATIVE), M('TaxAmount', NON_NEGATIVE_INTEGER),
    M('TotalAmount', NON_NEGATIVE), O('DiscountAmount', NON_NEGATIVE), O('OriginalCurrencyAmount', NON_NEGATIVE),
    O('ExchangeRate', NON_NEGATIVE), O('Currency', matches(/^[A-Z]{3}$/, 'an ISO 4217 code')),
  ]),
];

const F0501_RULES: Rule[] = [
  M('CancelInvoiceNumber', INVOICE_NUMBER), M('InvoiceDate', DAY), M('BuyerId', PARTY_ID), M('SellerId', PARTY_ID),
  M('CancelDate', DAY), M('CancelTime', TIME), M('CancelReason', matches(/^.{1,20}$/su, '1 to 20 characters')),
  O('ReturnTaxDocumentNumber'), O('Remark'),
];

// G0401, G0501 and E0402: required elements only (presence, not order or format).
const G0401_REQUIRED: Rule[] = [
  M('Main', undefined, [
    M('AllowanceNumber'), M('AllowanceDate'), M('Seller', undefined, [M('Identifier'), M('Name')]),
    M('Buyer', undefined, [M('Identifier'), M('Name')]), M('AllowanceType'),
  ]),
  M('Details', undefined, [
    {
      name: 'ProductItem', required: true, repeat: true, children: [
        M('OriginalInvoiceDate'), M('OriginalInvoiceNumber'), M('OriginalDescription'), M('Quantity'), M('UnitPrice'),
        M('Amount'), M('Tax'), M('AllowanceSequenceNumber'), M('TaxType'),
      ],
    },
  ]),
  M('Amount', undefined, [M('TaxAmount'), M('TotalAmount')]),
];

const G0501_REQUIRED: Rule[] = [
  M('CancelAllowanceNumber'), M('AllowanceType'), M('AllowanceDate'), M('BuyerId'), M('SellerId'), M('CancelDate'),
  M('CancelTime'), M('CancelReason'),
];

const E0402_REQUIRED: Rule[] = [
  M('Main', undefined, [M('HeadBan'), M('BranchBan'), M('InvoiceType'), M('YearMonth'), M('InvoiceTrack')]),
  M('Details', undefined, [{ name: 'BranchTrackBlankItem', required: true, repeat: true, children: [M('InvoiceBeginNo'), M('InvoiceEndNo')] }]),
];

const RULES: Record<TurnkeyMessageType, { rules: Rule[]; strict: boolean }> = {
  F0401: { rules: F0401_RULES, strict: true },
  F0501: { rules: F0501_RULES, strict: true },
  G0401: { rules: G0401_REQUIRED, strict: false },
  G0501: { rules: G0501_REQUIRED, strict: false },
  E0402: { rules: E0402_REQUIRED, strict: false },
};

function validateElements(parent: XmlElement, rules: Rule[], path: string, strict: boolean, issues: string[]): void {
  const matched: Array<{ element: XmlElement; rule: Rule }> = [];
  if (strict) {
    const seen = new Set<string>();
    const misplaced = new Set<string>();
    let position = -1;
    for (const element of parent.children) {
      const current = rules[position];
      if (current?.repeat && current.name === element.name) {
        matched.push({ element, rule: current });
        continue;
      }
      const index = rules.findIndex((rule, i) => i > position && rule.name === element.name);
      if (index >= 0) {
        position = index;
        seen.add(element.name);
        matched.push({ element, rule: rules[index] });
      } else if (rules.some((rule) => rule.name === element.name)) {
        misplaced.add(element.name);
        issues.push(`${path}/${element.name} is out of order or repeated`);
      } else {
        issues.push(`${path}/${element.name} is not allowed here`);
      }
    }
    for (const rule of rules) {
      if (rule.required && !seen.has(rule.name) && !misplaced.has(rule.name)) issues.push(`${path}/${rule.name} is missing`);
    }
  } else {
    for (const rule of rules) {
      const found = parent.children.filter((element) => element.name === rule.name);
      if (rule.required && found.length === 0) issues.push(`${path}/${rule.name} is missing`);
      for (const element of rule.repeat ? found : found.slice(0, 1)) matched.push({ element, rule });
    }
  }
  for (const { element, rule } of matched) {
    const where = `${path}/${element.name}`;
    if (rule.children) {
      validateElements(element, rule.children, where, strict, issues);
    } else if (strict) {
      if (element.children.length > 0) issues.push(`${where} must be a simple value`);
      else if (rule.check) {
        const problem = rule.check(element.text);
        if (problem) issues.push(`${where} ${problem}`);
      }
    }
  }
}

/** Root element, namespace, then the element rules of the message type; the first problem found. */
export function schemaProblem(type: TurnkeyMessageType, { root, prefix }: ParsedMessage): MessageProblem | undefined {
  const expectedRoot = ROOT_ELEMENT[type];
  if (root.name !== expectedRoot) return { message: `${type}: root element must be ${expectedRoot}, got ${clip(root.name, 30)}` };
  const namespace = root.attrs[prefix ? `xmlns:${prefix}` : 'xmlns'];
  if (namespace !== NAMESPACE(type)) {
    return { message: `${type}: namespace must be ${NAMESPACE(type)}`, more: `got '${namespace ?? '(none)'}'` };
  }
  const { rules, strict } = RULES[type];
  const issues: string[] = [];
  validateElements(root, rules, root.name, strict, issues);
  if (issues.length > 0) return { message: `${type}: ${issues[0]}`, more: issues.slice(1).join('; ') || undefined };
  return undefined;
}

/** F0401 and F0501: the seller must be a valid BAN, the buyer a valid BAN or the B2C placeholder. */
export function partyProblem(type: TurnkeyMessageType, facts: MessageFacts): MessageProblem | undefined {
  if (type !== 'F0401' && type !== 'F0501') return undefined;
  const seller = facts.fromParty ?? '';
  const buyer = facts.toParty ?? '';
  if (!isValidBan(seller)) return { message: `${type}: seller identifier ${seller} is not a valid BAN` };
  if (buyer !== B2C_BUYER && !isValidBan(buyer)) return { message: `${type}: buyer identifier ${buyer} is neither ${B2C_BUYER} nor a valid BAN` };
  return undefined;
}

/** The MIG 4.1 field limits, from the same table the inputs are checked against; the first problem, the rest after. */
export function limitProblem(type: TurnkeyMessageType, { root }: ParsedMessage): MessageProblem | undefined {
  const problems = migLimitProblems(type, root);
  if (problems.length === 0) return undefined;
  return { message: `${type}: ${problems[0]}`, more: problems.slice(1).join('; ') || undefined };
}

/** Turnkey refuses a file over 20 MB (its release notes). */
export const MAX_MESSAGE_BYTES = 20 * 1024 * 1024;

/**
 * Turnkey's gateway checks beyond the schema (its release notes, and the rules value-added centres state): PrintMark
 * N needs a carrier or a donation; a donation has no carrier and is not printed; a B2B buyer never donates; a
 * printed invoice on a carrier is B2B on a mobile barcode only; G0401/G0501 AllowanceType is 2 (seller issued).
 */
export function gatewayProblem(type: TurnkeyMessageType, { root }: ParsedMessage): MessageProblem | undefined {
  if (type === 'G0401' || type === 'G0501') {
    const allowanceType = findText(root, type === 'G0401' ? 'Main/AllowanceType' : 'AllowanceType');
    return allowanceType === '2' ? undefined : { message: `${type}: AllowanceType must be 2 (issued by the seller), got '${clip(allowanceType ?? '')}'` };
  }
  if (type !== 'F0401') return undefined;
  const get = (name: string) => findText(root, `Main/${name}`) ?? '';
  const printed = get('PrintMark') === 'Y';
  const donated = get('DonateMark') === '1';
  const carrierType = get('CarrierType');
  const hasCarrier = carrierType !== '' || get('CarrierId1') !== '';
  const b2b = (findText(root, 'Main/Buyer/Identifier') ?? B2C_BUYER) !== B2C_BUYER;
  if (!printed && !hasCarrier && !donated) return { message: 'F0401: PrintMark N needs a carrier (CarrierType, CarrierId1) or a donation (DonateMark 1)' };
  if (donated && (b2b || printed || hasCarrier || get('NPOBAN') === '')) {
    return { message: 'F0401: a donated invoice (DonateMark 1) needs an NPOBAN, a B2C buyer, no carrier and PrintMark N' };
  }
  if (!donated && get('NPOBAN') !== '') return { message: 'F0401: NPOBAN is given but DonateMark is 0' };
  if (printed && hasCarrier && !(b2b && carrierType === '3J0002')) {
    return { message: 'F0401: a printed invoice carries no carrier, except a B2B invoice on a mobile barcode (3J0002)' };
  }
  if (hasCarrier && (carrierType === '' || get('CarrierId1') === '')) return { message: 'F0401: a carrier needs both CarrierType and CarrierId1' };
  return undefined;
}
