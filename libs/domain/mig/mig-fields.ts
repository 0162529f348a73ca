/**
 * MIG 4.1 element names in schema (xs:sequence) order, per message, and the ones the schema requires. Renderers emit
 * through these lists, so order cannot drift; tests and the platform simulator check messages against them.
 * Source: .tmp/mig41-research.md (third-party code checked against the official samples; verify with the XSD).
 */
export type MigMessageCode = 'F0401' | 'F0501' | 'G0401' | 'G0501' | 'E0402';

export const MIG_VERSION = '4.1';

export function MIG_NAMESPACE(code: MigMessageCode): string {
  return `urn:GEINV:eInvoiceMessage:${code}:${MIG_VERSION}`;
}

export const MIG_ROOT: Record<MigMessageCode, string> = {
  F0401: 'Invoice',
  F0501: 'CancelInvoice',
  G0401: 'Allowance',
  G0501: 'CancelAllowance',
  E0402: 'BranchTrackBlank',
};

/** A B2C buyer has no BAN; the MIG writes 10 zeros in its place. */
export const B2C_BUYER_IDENTIFIER = '0000000000';

export function buyerIdentifier(ban?: string | null): string {
  const trimmed = ban?.trim();
  return trimmed ? trimmed : B2C_BUYER_IDENTIFIER;
}

/** Seller and Buyer (RoleDescription). */
export const MIG_PARTY_ORDER = [
  'Identifier',
  'Name',
  'Address',
  'PersonInCharge',
  'TelephoneNumber',
  'FacsimileNumber',
  'EmailAddress',
  'CustomerNumber',
  'RoleRemark',
] as const;
/** The PDF marks Seller/Address mandatory too; the schema status is unverified, so it is not listed here. */
export const MIG_PARTY_REQUIRED = ['Identifier', 'Name'] as const;

export const F0401_ROOT_ORDER = ['Main', 'Details', 'Amount'] as const;
export const F0401_MAIN_ORDER = [
  'InvoiceNumber',
  'InvoiceDate',
  'InvoiceTime',
  'Seller',
  'Buyer',
  'BuyerRemark',
  'MainRemark',
  'CustomsClearanceMark',
  'Category',
  'RelateNumber',
  'InvoiceType',
  'GroupMark',
  'DonateMark',
  'CarrierType',
  'CarrierId1',
  'CarrierId2',
  'PrintMark',
  'NPOBAN',
  'RandomNumber',
  'BondedAreaConfirm',
  'ZeroTaxRateReason',
  'Reserved1',
  'Reserved2',
] as const;
/** RandomNumber is optional in the schema but always sent by this system. */
export const F0401_MAIN_REQUIRED = [
  'InvoiceNumber',
  'InvoiceDate',
  'InvoiceTime',
  'Seller',
  'Buyer',
  'InvoiceType',
  'DonateMark',
  'PrintMark',
] as const;
export const F0401_ITEM_ORDER = [
  'Description',
  'Quantity',
  'Unit',
  'UnitPrice',
  'TaxType',
  'Amount',
  'SequenceNumber',
  'Remark',
  'RelateNumber',
] as const;
export const F0401_ITEM_REQUIRED = ['Description', 'Quantity', 'UnitPrice', 'TaxType', 'Amount', 'SequenceNumber'] as const;
export const F0401_AMOUNT_ORDER = [
  'SalesAmount',
  'FreeTaxSalesAmount',
  'ZeroTaxSalesAmount',
  'TaxType',
  'TaxRate',
  'TaxAmount',
  'TotalAmount',
  'DiscountAmount',
  'OriginalCurrencyAmount',
  'ExchangeRate',
  'Currency',
] as const;
export const F0401_AMOUNT_REQUIRED = [
  'SalesAmount',
  'FreeTaxSalesAmount',
  'ZeroTaxSalesAmount',
  'TaxType',
  'TaxRate',
  'TaxAmount',
  'TotalAmount',
] as const;

/** F0501 is flat: no Main. */
export const F0501_ORDER = [
  'CancelInvoiceNumber',
  'InvoiceDate',
  'BuyerId',
  'SellerId',
  'CancelDate',
  'CancelTime',
  'CancelReason',
  'ReturnTaxDocumentNumber',
  'Remark',
] as const;
export const F0501_REQUIRED = [
  'CancelInvoiceNumber',
  'InvoiceDate',
  'BuyerId',
  'SellerId',
  'CancelDate',
  'CancelTime',
  'CancelReason',
] as const;

export const G0401_ROOT_ORDER = ['Main', 'Details', 'Amount'] as const;
export const G0401_MAIN_ORDER = [
  'AllowanceNumber',
  'AllowanceDate',
  'Seller',
  'Buyer',
  'AllowanceType',
  'OriginalInvoiceSellerId',
  'OriginalInvoiceBuyerId',
] as const;
export const G0401_MAIN_REQUIRED = ['AllowanceNumber', 'AllowanceDate', 'Seller', 'Buyer', 'AllowanceType'] as const;
/** No SequenceNumber in G0401 items: the schema rejects it. */
export const G0401_ITEM_ORDER = [
  'OriginalInvoiceDate',
  'OriginalInvoiceNumber',
  'OriginalSequenceNumber',
  'OriginalDescription',
  'Quantity',
  'Unit',
  'UnitPrice',
  'Amount',
  'Tax',
  'AllowanceSequenceNumber',
  'TaxType',
] as const;
export const G0401_ITEM_REQUIRED = [
  'OriginalInvoiceDate',
  'OriginalInvoiceNumber',
  'OriginalDescription',
  'Quantity',
  'UnitPrice',
  'Amount',
  'Tax',
  'AllowanceSequenceNumber',
  'TaxType',
] as const;
export const G0401_AMOUNT_ORDER = ['TaxAmount', 'TotalAmount'] as const;
export const G0401_AMOUNT_REQUIRED = G0401_AMOUNT_ORDER;

/** G0501 is flat: no Main. */
export const G0501_ORDER = [
  'CancelAllowanceNumber',
  'AllowanceType',
  'AllowanceDate',
  'BuyerId',
  'SellerId',
  'CancelDate',
  'CancelTime',
  'CancelReason',
  'Remark',
] as const;
export const G0501_REQUIRED = G0501_ORDER.filter((name) => name !== 'Remark');

export const E0402_ROOT_ORDER = ['Main', 'Details'] as const;
export const E0402_MAIN_ORDER = ['HeadBan', 'BranchBan', 'InvoiceType', 'YearMonth', 'InvoiceTrack'] as const;
export const E0402_MAIN_REQUIRED = E0402_MAIN_ORDER;
export const E0402_ITEM_ORDER = ['InvoiceBeginNo', 'InvoiceEndNo'] as const;
export const E0402_ITEM_REQUIRED = E0402_ITEM_ORDER;

/** Seller-issued allowance, the only type G0401/G0501 accept in 4.1. */
export const ALLOWANCE_TYPE_SELLER = '2';
