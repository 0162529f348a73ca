import { create } from 'xmlbuilder2';
import { DomainError } from '../domain-error';
import { taipeiClock, taipeiDay } from '../taipei-time';
import { MIG_NAMESPACE, MIG_ROOT, MigMessageCode } from './mig-fields';

/** xmlbuilder2 does not re-export its builder interface from the package root. */
export type XMLBuilder = ReturnType<typeof create>;

/** A value to emit: text, a builder of nested children, or nothing (the element is left out). */
export type MigValue = string | ((element: XMLBuilder) => void) | undefined | null;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `yyyyMMdd`, the Asia/Taipei calendar date of an instant. */
export function migDate(instant: Date): string {
  return taipeiDay(instant);
}

/** `HH:mm:ss`, the Asia/Taipei wall-clock time of an instant. */
export function migTime(instant: Date): string {
  return taipeiClock(instant);
}

/** A MIG decimal: at most 7 fraction digits, no exponent, no needless trailing zeros, never `-0`. */
export function migDecimal(value: number): string {
  if (!Number.isFinite(value) || Math.abs(value) >= 1e21) throw new RangeError(`not a renderable decimal: ${value}`);
  const text = value.toFixed(7).replace(/\.?0+$/, '');
  return text === '-0' ? '0' : text;
}

/** A 1-based sequence number as the samples write it: `001`. */
export function migSequence(index: number): string {
  return pad(index, 3);
}

/** Starts a MIG message: XML declaration, root element in the message's default namespace. */
export function migDocument(code: MigMessageCode): { doc: XMLBuilder; root: XMLBuilder } {
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  // Children created with ele(name) inherit the root's default namespace, so no prefixes appear.
  const root = doc.ele(MIG_NAMESPACE(code), MIG_ROOT[code]);
  return { doc, root };
}

export function migString(doc: XMLBuilder): string {
  return doc.end({ prettyPrint: true });
}

function requiredMissing(context: string, name: string): DomainError {
  return new DomainError('invalid', 'MIG.REQUIRED_MISSING', `${context}: ${name} is required`, [
    { field: `${context}.${name}`, code: 'MIG.REQUIRED_MISSING', message: `${name} is required` },
  ]);
}

/** Details needs at least one item; an empty list is refused like any missing required element. */
export function requireItems(context: string, itemName: string, count: number): void {
  if (count === 0) throw requiredMissing(context, itemName);
}

/**
 * Appends the elements of `values` to `parent` in schema order, leaving out empty optional ones. A required element
 * without a value is a DomainError, so an incomplete message never reaches the platform.
 */
export function appendInOrder(
  parent: XMLBuilder,
  context: string,
  order: readonly string[],
  required: readonly string[],
  values: Partial<Record<string, MigValue>>,
): void {
  for (const name of Object.keys(values)) {
    if (!order.includes(name)) throw new Error(`${context}: ${name} is not in the element order`);
  }
  for (const name of order) {
    const value = values[name];
    if (value === undefined || value === null || value === '') {
      if (required.includes(name)) throw requiredMissing(context, name);
      continue;
    }
    const element = parent.ele(name);
    if (typeof value === 'function') value(element);
    else element.txt(value);
  }
}

/**
 * The values of one element's children as an object in schema order (for a plain-object builder), with the checks of
 * appendInOrder: no unknown element, no required one empty, empty optional ones left out.
 */
export function inSchemaOrder(
  context: string,
  order: readonly string[],
  required: readonly string[],
  values: Partial<Record<string, string | null | undefined>>,
): Record<string, string> {
  for (const name of Object.keys(values)) {
    if (!order.includes(name)) throw new Error(`${context}: ${name} is not in the element order`);
  }
  const ordered: Record<string, string> = {};
  for (const name of order) {
    const value = values[name];
    if (value === undefined || value === null || value === '') {
      if (required.includes(name)) throw requiredMissing(context, name);
      continue;
    }
    ordered[name] = value;
  }
  return ordered;
}
