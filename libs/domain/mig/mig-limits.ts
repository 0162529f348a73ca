import type { MigMessageCode } from './mig-fields';

/**
 * MIG 4.1 field limits from the official 4.1 schemas (lengths in characters). The platform refuses a message that
 * breaks one, so inputs are checked against this table at the edge, and the simulator checks received messages too.
 * This is the one place the limits are written: validators, DTOs, the workbook and the simulator read them here.
 */
export const MIG_LIMITS = {
  name: { min: 1, max: 60 },
  address: { max: 100 },
  emailAddress: { max: 400 },
  mainRemark: { max: 200 },
  description: { min: 1, max: 500 },
  unit: { max: 6 },
  lineRemark: { max: 120 },
  lineRelateNumber: { max: 50 },
  relateNumber: { max: 20 },
  items: { min: 1, max: 9999 },
  /** The donation code's own format is 3–7 digits (the schema allows 10). */
  npoban: { min: 3, max: 7 },
  carrierId: { max: 400 },
  allowanceNumber: { min: 1, max: 16 },
  cancelReason: { min: 1, max: 20 },
  returnTaxDocumentNumber: { max: 60 },
  cancelRemark: { max: 200 },
  blankItems: { min: 1, max: 10000 },
  /** Quantity, UnitPrice, Amount: digits in all and after the point. */
  decimal: { digits: 20, fraction: 7 },
} as const;

type LengthKey = { [K in keyof typeof MIG_LIMITS]: (typeof MIG_LIMITS)[K] extends { max: number } ? K : never }[keyof typeof MIG_LIMITS];
type CountKey = 'items' | 'blankItems';

/** The characters of a text as the schemas count them (a surrogate pair is one). */
export const migLength = (text: string): number => [...text].length;

/** A limit's wording for messages: `1–60 characters`, `at most 100 characters`. */
export function describeLimit(key: LengthKey, unit = 'characters'): string {
  const limit: { min?: number; max: number } = MIG_LIMITS[key];
  return limit.min ? `${limit.min}–${limit.max} ${unit}` : `at most ${limit.max} ${unit}`;
}

/** Whether a decimal as written fits MIG's 20 digits of which at most 7 after the point. */
export function fitsMigDecimal(text: string): boolean {
  const match = /^-?(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return false;
  const [whole, fraction = ''] = [match[1].replace(/^0+(?=\d)/, ''), match[2]];
  return whole.length + fraction.length <= MIG_LIMITS.decimal.digits && fraction.length <= MIG_LIMITS.decimal.fraction;
}

/** Where the limits apply in each message: element paths below the root, through repeated items. */
type Placement = { path: string; length: LengthKey } | { path: string; count: CountKey } | { path: string; decimal: true };

const PARTY = (role: string): Placement[] => [
  { path: `Main/${role}/Name`, length: 'name' },
  { path: `Main/${role}/Address`, length: 'address' },
  { path: `Main/${role}/EmailAddress`, length: 'emailAddress' },
];

const AMOUNTS = (item: string): Placement[] => ['Quantity', 'UnitPrice', 'Amount'].map((name) => ({ path: `${item}/${name}`, decimal: true as const }));

export const MIG_LIMITED_ELEMENTS: Record<MigMessageCode, Placement[]> = {
  F0401: [
    ...PARTY('Seller'),
    ...PARTY('Buyer'),
    { path: 'Main/MainRemark', length: 'mainRemark' },
    { path: 'Main/RelateNumber', length: 'relateNumber' },
    { path: 'Main/CarrierId1', length: 'carrierId' },
    { path: 'Main/CarrierId2', length: 'carrierId' },
    { path: 'Main/NPOBAN', length: 'npoban' },
    { path: 'Details/ProductItem', count: 'items' },
    { path: 'Details/ProductItem/Description', length: 'description' },
    { path: 'Details/ProductItem/Unit', length: 'unit' },
    { path: 'Details/ProductItem/Remark', length: 'lineRemark' },
    { path: 'Details/ProductItem/RelateNumber', length: 'lineRelateNumber' },
    ...AMOUNTS('Details/ProductItem'),
  ],
  F0501: [
    { path: 'CancelReason', length: 'cancelReason' },
    { path: 'ReturnTaxDocumentNumber', length: 'returnTaxDocumentNumber' },
    { path: 'Remark', length: 'cancelRemark' },
  ],
  G0401: [
    { path: 'Main/AllowanceNumber', length: 'allowanceNumber' },
    ...PARTY('Seller'),
    ...PARTY('Buyer'),
    { path: 'Details/ProductItem', count: 'items' },
    { path: 'Details/ProductItem/OriginalDescription', length: 'description' },
    { path: 'Details/ProductItem/Unit', length: 'unit' },
    ...AMOUNTS('Details/ProductItem'),
  ],
  G0501: [
    { path: 'CancelAllowanceNumber', length: 'allowanceNumber' },
    { path: 'CancelReason', length: 'cancelReason' },
    { path: 'Remark', length: 'cancelRemark' },
  ],
  E0402: [{ path: 'Details/BranchTrackBlankItem', count: 'blankItems' }],
};

/** The shape both the MIG reader and the simulator's parser give an element. */
export interface MigNode {
  name: string;
  text: string;
  children: MigNode[];
}

function elementsAt(root: MigNode, path: string): MigNode[] {
  let nodes = [root];
  for (const name of path.split('/')) nodes = nodes.flatMap((node) => node.children.filter((child) => child.name === name));
  return nodes;
}

/** Every element of a message beyond a MIG 4.1 limit, as `<path> is N characters; the limit is …`. Empty when all fit. */
export function migLimitProblems(code: MigMessageCode, root: MigNode): string[] {
  const problems: string[] = [];
  for (const placement of MIG_LIMITED_ELEMENTS[code]) {
    const found = elementsAt(root, placement.path);
    if ('count' in placement) {
      const { min, max } = MIG_LIMITS[placement.count];
      if (found.length < min || found.length > max) problems.push(`${placement.path} occurs ${found.length} times; the limit is ${min}–${max}`);
      continue;
    }
    for (const element of found) {
      const text = element.text.trim();
      if ('decimal' in placement) {
        if (!fitsMigDecimal(text)) problems.push(`${placement.path} '${text.slice(0, 30)}' has more than 20 digits or more than 7 after the point`);
        continue;
      }
      const limit: { min?: number; max: number } = MIG_LIMITS[placement.length];
      const length = migLength(text);
      if (length > limit.max || length < (limit.min ?? 0)) {
        problems.push(`${placement.path} is ${length} characters; the limit is ${describeLimit(placement.length)}`);
      }
    }
  }
  return problems;
}
