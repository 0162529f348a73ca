import { create } from 'xmlbuilder2';

/** A parsed MIG element: enough to check names, order, namespaces and values (tests, the platform simulator). */
export interface MigElement {
  name: string;
  namespace: string | null;
  /** Text content (entities decoded); for an element with children, all text below it, indentation included. */
  text: string;
  children: MigElement[];
}

interface DomLike {
  nodeType: number;
  localName?: string | null;
  namespaceURI?: string | null;
  textContent: string | null;
  childNodes: Iterable<DomLike>;
}

const ELEMENT_NODE = 1;

function toElement(node: DomLike): MigElement {
  const children = [...node.childNodes].filter((c) => c.nodeType === ELEMENT_NODE).map(toElement);
  return { name: node.localName ?? '', namespace: node.namespaceURI ?? null, text: node.textContent ?? '', children };
}

/** Parses a MIG XML document into its element tree; text is kept exactly, even when it is only whitespace. */
export function readMigXml(xml: string): MigElement {
  return toElement(create({ skipWhitespaceOnlyText: false }, xml).root().node as unknown as DomLike);
}

/** The child elements of `parent` named `name`. */
export function migChildren(parent: MigElement, name: string): MigElement[] {
  return parent.children.filter((c) => c.name === name);
}

/** The text of the single child `name`, or undefined when absent. */
export function migText(parent: MigElement, name: string): string | undefined {
  return parent.children.find((c) => c.name === name)?.text;
}

/**
 * What is wrong with the children of an element against a schema sequence: unknown elements, elements out of
 * order or repeated, required ones missing. Empty when it conforms.
 */
export function checkMigSequence(element: MigElement, order: readonly string[], required: readonly string[]): string[] {
  const problems: string[] = [];
  let last = -1;
  for (const child of element.children) {
    const position = order.indexOf(child.name);
    if (position < 0) problems.push(`${element.name}: unexpected element ${child.name}`);
    else if (position <= last) problems.push(`${element.name}: ${child.name} is out of order or repeated`);
    else last = position;
  }
  for (const name of required) {
    if (!element.children.some((c) => c.name === name && (c.children.length > 0 || c.text !== ''))) {
      problems.push(`${element.name}: required ${name} is missing or empty`);
    }
  }
  return problems;
}

export function childNames(element: MigElement): string[] {
  return element.children.map((c) => c.name);
}

/** The schema order restricted to the elements present: what childNames equals in a conforming message. */
export function presentInOrder(element: MigElement, order: readonly string[]): string[] {
  const names = childNames(element);
  return order.filter((name) => names.includes(name));
}

/** The namespaces used anywhere in the tree, deduplicated; a MIG message has exactly one. */
export function namespacesOf(element: MigElement): (string | null)[] {
  const found = new Set<string | null>([element.namespace]);
  for (const child of element.children) for (const ns of namespacesOf(child)) found.add(ns);
  return [...found];
}

/** The single child `name`; throws when absent or repeated. */
export function migChild(parent: MigElement, name: string): MigElement {
  const matches = parent.children.filter((c) => c.name === name);
  if (matches.length !== 1) throw new Error(`${parent.name}: expected one ${name}, found ${matches.length}`);
  return matches[0];
}
