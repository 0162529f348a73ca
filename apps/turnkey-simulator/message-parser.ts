import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { TurnkeyMessageType } from '../../libs/adapters/turnkey/turnkey-folders';

/** An element with its namespace prefix removed, its attributes, its child elements and its trimmed text. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** Why a message is rejected: MESSAGE1 of the event row, and optionally more detail for MESSAGE2. */
export interface MessageProblem {
  message: string;
  more?: string;
}

/** The root element and the namespace prefix it was written with ('' when the default namespace is used). */
export interface ParsedMessage {
  root: XmlElement;
  prefix: string;
}

type OrderedNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false, // keep '0000000000' and '07' as written
  parseAttributeValue: false,
  trimValues: true,
});

/** fast-xml-parser's `preserveOrder` output turned into a plain element tree with local names. */
function toElements(nodes: OrderedNode[], prefix: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const node of nodes) {
    const name = Object.keys(node).find((key) => key !== ':@');
    if (!name || name === '#text' || name.startsWith('?') || name.startsWith('#') || name.startsWith('!')) continue;
    const content = (node[name] ?? []) as OrderedNode[];
    const text = content.filter((child) => '#text' in child).map((child) => String(child['#text'])).join('');
    out.push({
      name: prefix && name.startsWith(`${prefix}:`) ? name.slice(prefix.length + 1) : name,
      attrs: (node[':@'] ?? {}) as Record<string, string>,
      children: toElements(content, prefix),
      text: text.trim(),
    });
  }
  return out;
}

/** Reads a received file as the platform would: UTF-8 (a BOM allowed), well-formed, with a root element. */
export function parseMessage(type: TurnkeyMessageType, bytes: Buffer): ParsedMessage | { problem: MessageProblem } {
  let xml: string;
  try {
    xml = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return { problem: { message: `${type}: file is not valid UTF-8` } };
  }
  const wellFormed = XMLValidator.validate(xml);
  if (wellFormed !== true) {
    const { msg, line } = wellFormed.err;
    return { problem: { message: `${type}: XML not well-formed (line ${line})`, more: msg } };
  }
  const topLevel = (parser.parse(xml) as OrderedNode[]).filter((node) => !Object.keys(node).some((k) => k.startsWith('?') || k.startsWith('#')));
  const rootName = Object.keys(topLevel[0] ?? {}).find((key) => key !== ':@') ?? '';
  const prefix = rootName.includes(':') ? rootName.slice(0, rootName.indexOf(':')) : '';
  const [root] = toElements(topLevel, prefix);
  if (!root) return { problem: { message: `${type}: no root element` } };
  return { root, prefix };
}

/** The text of the simple element at a `/`-separated path below `root`; undefined when absent or not simple. */
export function findText(root: XmlElement, path: string): string | undefined {
  let node: XmlElement | undefined = root;
  for (const name of path.split('/')) {
    node = node?.children.find((child) => child.name === name);
  }
  return node && node.children.length === 0 ? node.text : undefined;
}
