import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { DataSource } from 'typeorm';
import { isValidBan } from '../../libs/domain/ban';
import {
  TURNKEY_MESSAGE_TYPES,
  TurnkeyMessageType,
  blankReportIdentifier,
  invoiceIdentifierOfDay,
  turnkeyRoute,
  upcastBakDir,
  upcastErrDir,
  upcastSrcDir,
} from '../../libs/adapters/turnkey/turnkey-folders';
import { taipeiDay, taipeiTimestamp } from '../../libs/domain/taipei-time';

/**
 * Error codes the simulator writes to TURNKEY_SYSEVENT_LOG.ERRORCODE (4 characters, like Turnkey's). The real
 * platform's code table is not public; these are ours, prefixed `S` so they can never be mistaken for real ones.
 */
export const SIMULATOR_ERROR_CODES = {
  /** Not well-formed, not UTF-8, wrong root or namespace, missing / out-of-order / unknown element, bad format. */
  schema: 'S001',
  /** F0401 for an invoice number already accepted in the same period. */
  duplicateNumber: 'S002',
  /** Seller identifier not a valid BAN, or buyer neither `0000000000` nor a valid BAN. */
  banChecksum: 'S003',
  /** F0501 for an invoice the platform never accepted (number + invoice date). */
  unknownInvoice: 'S004',
  /** Rejected on purpose by the `rejectNext` / `rejectRate` switches. */
  simulatedRejection: 'S099',
} as const;

export type SimulatorErrorCode = (typeof SIMULATOR_ERROR_CODES)[keyof typeof SIMULATOR_ERROR_CODES];

/** Switches for rejections, delays and outages; also read from `<root>/simulator.json` when that file changes. */
export interface TurnkeySimulatorSettings {
  /** Process nothing: files stay in SRC. */
  outage: boolean;
  /** A file is processed only once its modification time is at least this old. */
  delayMs: number;
  /** Fraction (0..1) of otherwise-valid messages rejected with S099, drawn from a seeded PRNG. */
  rejectRate: number;
  /** Reject the next N otherwise-valid messages with S099 (counts down). */
  rejectNext: number;
}

export interface SimulatorProcessedFile {
  file: string;
  messageType: TurnkeyMessageType;
  status: 'G' | 'E';
  seqno: string;
  invoiceIdentifier: string | null;
  errorCode?: SimulatorErrorCode;
  errorMessage?: string;
  movedTo: string;
}

export interface TurnkeySimulatorOptions {
  settings?: Partial<TurnkeySimulatorSettings>;
  /** Seed of the PRNG behind `rejectRate`, so a run is reproducible. */
  seed?: number;
  now?: () => Date;
  onProcessed?: (result: SimulatorProcessedFile) => void;
  /** Errors of a cycle or a file; the loop carries on. Defaults to console.error. */
  onError?: (error: unknown) => void;
}

export const SIMULATOR_SETTINGS_FILE = 'simulator.json';

const NAMESPACE = (type: TurnkeyMessageType) => `urn:GEINV:eInvoiceMessage:${type}:4.1`;

const ROOT_ELEMENT: Record<TurnkeyMessageType, string> = {
  F0401: 'Invoice',
  F0501: 'CancelInvoice',
  G0401: 'Allowance',
  G0501: 'CancelAllowance',
  E0402: 'BranchTrackBlank',
};

const B2C_BUYER = '0000000000';

// ---------------------------------------------------------------------------------------------------------------
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

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

type OrderedNode = Record<string, unknown>;

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

function find(root: XmlElement, path: string): string | undefined {
  let node: XmlElement | undefined = root;
  for (const name of path.split('/')) {
    node = node?.children.find((child) => child.name === name);
  }
  return node && node.children.length === 0 ? node.text : undefined;
}

interface Facts {
  identifier: string | null;
  fromParty?: string;
  toParty?: string;
}

function attempt(compute: () => string): string | null {
  try {
    return compute();
  } catch {
    return null;
  }
}

/** Who sent it and Turnkey's INVOICE_IDENTIFIER, as far as they can be read even from an invalid message. */
function factsOf(type: TurnkeyMessageType, root: XmlElement): Facts {
  const get = (path: string) => find(root, path) ?? '';
  switch (type) {
    case 'F0401':
      return {
        identifier: attempt(() => invoiceIdentifierOfDay(type, get('Main/InvoiceNumber'), get('Main/InvoiceDate'))),
        fromParty: get('Main/Seller/Identifier'),
        toParty: get('Main/Buyer/Identifier'),
      };
    case 'F0501':
      return {
        identifier: attempt(() => invoiceIdentifierOfDay(type, get('CancelInvoiceNumber'), get('CancelDate'))),
        fromParty: get('SellerId'),
        toParty: get('BuyerId'),
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

/** mulberry32: tiny, fast, and good enough to spread simulated rejections reproducibly. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** PostgreSQL varchar(n) counts characters; slice by code point so a surrogate pair is never split. */
function fit(value: string | null | undefined, max: number): string | null {
  if (!value) return null;
  const chars = Array.from(value);
  return chars.length <= max ? value : chars.slice(0, max).join('');
}

interface Verdict {
  facts: Facts;
  error?: { code: SimulatorErrorCode; message: string; more?: string };
}

const reject = (facts: Facts, code: SimulatorErrorCode, message: string, more?: string): Verdict => ({ facts, error: { code, message, more } });

function parseSettings(raw: unknown): Partial<TurnkeySimulatorSettings> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('must be a JSON object');
  const input = raw as Record<string, unknown>;
  const out: Partial<TurnkeySimulatorSettings> = {};
  for (const key of Object.keys(input)) {
    const value = input[key];
    switch (key) {
      case 'outage':
        if (typeof value !== 'boolean') throw new Error('outage must be true or false');
        out.outage = value;
        break;
      case 'delayMs':
      case 'rejectNext':
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new Error(`${key} must be a non-negative integer`);
        out[key] = value;
        break;
      case 'rejectRate':
        if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new Error('rejectRate must be a number from 0 to 1');
        out.rejectRate = value;
        break;
      default:
        throw new Error(`unknown setting '${key}' (known: outage, delayMs, rejectRate, rejectNext)`);
    }
  }
  return out;
}

function pgCode(error: unknown): string | undefined {
  const e = error as { code?: string; driverError?: { code?: string } };
  return e?.code ?? e?.driverError?.code;
}

/**
 * Plays the MOF platform and Turnkey's result writing for development and tests: consumes files from the UpCast SRC
 * folders, validates them as the platform would, records the outcome in turnkey_message_log / turnkey_sysevent_log
 * the way Turnkey does, and moves each file to BAK/<yyyyMMdd>/ or ERR/<yyyyMMdd>/.
 *
 * A file is recorded before it is moved: after a crash in between it is processed again (at least once), which for
 * an F0401 shows up as a duplicate-number rejection in the log — acceptable for a simulator, and visible.
 */
export class TurnkeySimulator {
  readonly settings: TurnkeySimulatorSettings;
  private readonly random: () => number;
  private readonly now: () => Date;
  private readonly onProcessed: (result: SimulatorProcessedFile) => void;
  private readonly onError: (error: unknown) => void;
  private settingsFileContent: string | undefined;
  private serial: Promise<unknown> = Promise.resolve();
  private loop: { stopped: boolean; timer?: NodeJS.Timeout; current: Promise<void> } | undefined;
  private readonly parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseTagValue: false, // keep '0000000000' and '07' as written
    parseAttributeValue: false,
    trimValues: true,
  });

  constructor(
    private readonly rootDir: string,
    private readonly db: DataSource,
    options: TurnkeySimulatorOptions = {},
  ) {
    this.settings = { outage: false, delayMs: 0, rejectRate: 0, rejectNext: 0, ...options.settings };
    this.random = seededRandom(options.seed ?? 0x5eed);
    this.now = options.now ?? (() => new Date());
    this.onProcessed = options.onProcessed ?? (() => undefined);
    this.onError = options.onError ?? ((error) => console.error(error));
  }

  /** One pass over every SRC folder; returns how many files were processed. Calls never overlap. */
  processOnce(): Promise<number> {
    const run = this.serial.then(() => this.cycle());
    this.serial = run.catch(() => undefined);
    return run;
  }

  /** Polls every `intervalMs` after the previous cycle ends, so cycles never overlap. */
  start(intervalMs = 200): void {
    if (this.loop) return;
    const loop: { stopped: boolean; timer?: NodeJS.Timeout; current: Promise<void> } = { stopped: false, current: Promise.resolve() };
    const tick = () => {
      loop.current = this.processOnce().then(
        () => undefined,
        (error) => this.onError(error),
      ).then(() => {
        if (!loop.stopped) loop.timer = setTimeout(tick, intervalMs);
      });
    };
    this.loop = loop;
    tick();
  }

  /** Stops polling and waits for the cycle in progress to finish. */
  async stop(): Promise<void> {
    const loop = this.loop;
    if (!loop) return;
    this.loop = undefined;
    loop.stopped = true;
    clearTimeout(loop.timer);
    await loop.current;
  }

  private async cycle(): Promise<number> {
    await this.applySettingsFile();
    if (this.settings.outage) return 0;
    let processed = 0;
    for (const type of TURNKEY_MESSAGE_TYPES) {
      for (const file of await this.dueFiles(type)) {
        try {
          if (await this.processFile(type, file)) processed++;
        } catch (error) {
          this.onError(error);
        }
      }
    }
    return processed;
  }

  /** Applies `<root>/simulator.json` when its content changed, so a countdown like rejectNext is not reset each cycle. */
  private async applySettingsFile(): Promise<void> {
    const path = join(this.rootDir, SIMULATOR_SETTINGS_FILE);
    let content: string;
    try {
      content = await fs.readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      this.settingsFileContent = undefined;
      return;
    }
    if (content === this.settingsFileContent) return;
    this.settingsFileContent = content;
    try {
      Object.assign(this.settings, parseSettings(JSON.parse(content)));
    } catch (error) {
      this.onError(new Error(`${path} ignored: ${(error as Error).message}`));
    }
  }

  /** The .xml files of one SRC folder that are old enough, oldest first (Turnkey works first in, first out). */
  private async dueFiles(type: TurnkeyMessageType): Promise<string[]> {
    const src = upcastSrcDir(this.rootDir, type);
    let names: string[];
    try {
      names = await fs.readdir(src);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const now = this.now().getTime();
    const due: Array<{ path: string; mtime: number }> = [];
    for (const name of names.filter((n) => n.toLowerCase().endsWith('.xml'))) {
      const path = join(src, name);
      const stat = await fs.stat(path).catch(() => undefined); // may have been moved away meanwhile
      if (!stat?.isFile()) continue;
      // Only with a delay: mtime has sub-millisecond precision and can be a fraction ahead of Date.now().
      if (this.settings.delayMs > 0 && now - stat.mtimeMs < this.settings.delayMs) continue;
      due.push({ path, mtime: stat.mtimeMs });
    }
    return due.sort((a, b) => a.mtime - b.mtime || a.path.localeCompare(b.path)).map((entry) => entry.path);
  }

  private async processFile(type: TurnkeyMessageType, path: string): Promise<boolean> {
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
    const verdict = await this.judge(type, bytes);
    const at = this.now();
    const seqno = await this.record(type, verdict, at, path, bytes.length);
    const destination = join(verdict.error ? upcastErrDir(this.rootDir, type) : upcastBakDir(this.rootDir, type), taipeiDay(at));
    await fs.mkdir(destination, { recursive: true });
    const movedTo = join(destination, basename(path));
    await fs.rename(path, movedTo);
    this.onProcessed({
      file: path,
      messageType: type,
      status: verdict.error ? 'E' : 'G',
      seqno,
      invoiceIdentifier: verdict.facts.identifier,
      ...(verdict.error ? { errorCode: verdict.error.code, errorMessage: verdict.error.message } : {}),
      movedTo,
    });
    return true;
  }

  /** Schema first, then BAN checksums, then what only the platform's records can tell, then the switches. */
  private async judge(type: TurnkeyMessageType, bytes: Buffer): Promise<Verdict> {
    const none: Facts = { identifier: null };
    let xml: string;
    try {
      xml = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
    } catch {
      return reject(none, SIMULATOR_ERROR_CODES.schema, `${type}: file is not valid UTF-8`);
    }
    const wellFormed = XMLValidator.validate(xml);
    if (wellFormed !== true) {
      const { msg, line } = wellFormed.err;
      return reject(none, SIMULATOR_ERROR_CODES.schema, `${type}: XML not well-formed (line ${line})`, msg);
    }
    const topLevel = (this.parser.parse(xml) as OrderedNode[]).filter((node) => !Object.keys(node).some((k) => k.startsWith('?') || k.startsWith('#')));
    const rootName = Object.keys(topLevel[0] ?? {}).find((key) => key !== ':@') ?? '';
    const prefix = rootName.includes(':') ? rootName.slice(0, rootName.indexOf(':')) : '';
    const [root] = toElements(topLevel, prefix);
    if (!root) return reject(none, SIMULATOR_ERROR_CODES.schema, `${type}: no root element`);

    const facts = factsOf(type, root);
    const expectedRoot = ROOT_ELEMENT[type];
    if (root.name !== expectedRoot) {
      return reject(facts, SIMULATOR_ERROR_CODES.schema, `${type}: root element must be ${expectedRoot}, got ${clip(root.name, 30)}`);
    }
    const namespace = root.attrs[prefix ? `xmlns:${prefix}` : 'xmlns'];
    if (namespace !== NAMESPACE(type)) {
      return reject(facts, SIMULATOR_ERROR_CODES.schema, `${type}: namespace must be ${NAMESPACE(type)}`, `got '${namespace ?? '(none)'}'`);
    }
    const { rules, strict } = RULES[type];
    const issues: string[] = [];
    validateElements(root, rules, root.name, strict, issues);
    if (issues.length > 0) {
      return reject(facts, SIMULATOR_ERROR_CODES.schema, `${type}: ${issues[0]}`, issues.slice(1).join('; ') || undefined);
    }

    if (type === 'F0401' || type === 'F0501') {
      const seller = facts.fromParty ?? '';
      const buyer = facts.toParty ?? '';
      if (!isValidBan(seller)) return reject(facts, SIMULATOR_ERROR_CODES.banChecksum, `${type}: seller identifier ${seller} is not a valid BAN`);
      if (buyer !== B2C_BUYER && !isValidBan(buyer)) {
        return reject(facts, SIMULATOR_ERROR_CODES.banChecksum, `${type}: buyer identifier ${buyer} is neither ${B2C_BUYER} nor a valid BAN`);
      }
    }
    if (type === 'F0401') {
      const number = find(root, 'Main/InvoiceNumber')!;
      const day = find(root, 'Main/InvoiceDate')!;
      if (await this.acceptedInPeriod(number, day)) {
        return reject(facts, SIMULATOR_ERROR_CODES.duplicateNumber, `F0401: invoice number ${number} was already accepted`);
      }
    }
    if (type === 'F0501') {
      const number = find(root, 'CancelInvoiceNumber')!;
      const day = find(root, 'InvoiceDate')!;
      if (!(await this.accepted(invoiceIdentifierOfDay('F0401', number, day)))) {
        return reject(facts, SIMULATOR_ERROR_CODES.unknownInvoice, `F0501: invoice ${number} of ${day} was never accepted`);
      }
    }

    if (this.settings.rejectNext > 0) {
      this.settings.rejectNext -= 1;
      return reject(facts, SIMULATOR_ERROR_CODES.simulatedRejection, `${type}: simulated rejection (rejectNext)`);
    }
    if (this.settings.rejectRate > 0 && this.random() < this.settings.rejectRate) {
      return reject(facts, SIMULATOR_ERROR_CODES.simulatedRejection, `${type}: simulated rejection (rejectRate)`);
    }
    return { facts };
  }

  /**
   * Track letters are handed out again in later periods, so a number is a duplicate only within the two-month period
   * of its invoice date (identifiers end in yyyyMMdd, so the period is a string range).
   */
  private async acceptedInPeriod(number: string, day: string): Promise<boolean> {
    const year = day.slice(0, 4);
    const firstMonth = Number(day.slice(4, 6)) % 2 === 1 ? Number(day.slice(4, 6)) : Number(day.slice(4, 6)) - 1;
    const from = `F0401${number}${year}${String(firstMonth).padStart(2, '0')}01`;
    const to = `F0401${number}${year}${String(firstMonth + 1).padStart(2, '0')}31`;
    const rows: unknown[] = await this.db.query(
      `SELECT 1 FROM turnkey_message_log
        WHERE message_type = 'F0401' AND invoice_identifier BETWEEN $1 AND $2 AND status IN ('G', 'C') LIMIT 1`,
      [from, to],
    );
    return rows.length > 0;
  }

  private async accepted(identifier: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `SELECT 1 FROM turnkey_message_log WHERE invoice_identifier = $1 AND status IN ('G', 'C') LIMIT 1`,
      [identifier],
    );
    return rows.length > 0;
  }

  /** Writes the outcome the way Turnkey does; retries when a concurrent writer took the same SEQNO or EVENTDTS. */
  private async record(type: TurnkeyMessageType, verdict: Verdict, at: Date, path: string, characterCount: number): Promise<string> {
    const { categoryType, processType } = turnkeyRoute(type);
    const uuid = randomUUID();
    const messageDts = taipeiTimestamp(at);
    for (let attemptNo = 1; ; attemptNo++) {
      try {
        return await this.db.transaction(async (manager) => {
          const [{ seqno }]: Array<{ seqno: string }> = await manager.query(
            `INSERT INTO turnkey_message_log (seqno, subseqno, uuid, message_type, category_type, process_type, from_party_id,
                 to_party_id, message_dts, character_count, status, in_out_bound, invoice_identifier)
             SELECT lpad((coalesce((SELECT seqno::bigint FROM turnkey_message_log WHERE seqno ~ '^[0-9]{8}$'
                                     ORDER BY seqno DESC LIMIT 1), 0) + 1)::text, 8, '0'),
                    '00001', $1, $2, $3, $4, $5, $6, $7, $8, $9, 'O', $10
             RETURNING seqno`,
            [
              uuid, type, categoryType, processType, fit(verdict.facts.fromParty, 10), fit(verdict.facts.toParty, 10), messageDts,
              String(characterCount), verdict.error ? 'E' : 'G', verdict.facts.identifier,
            ],
          );
          if (verdict.error) {
            // EVENTDTS (a millisecond timestamp) is the table's primary key: step past any event in the same millisecond.
            for (let offset = 0; ; offset++) {
              const eventDts = taipeiTimestamp(new Date(at.getTime() + offset));
              const inserted: unknown[] = await manager.query(
                `INSERT INTO turnkey_sysevent_log (eventdts, party_id, seqno, subseqno, errorcode, uuid, information1, message1, message2)
                 VALUES ($1, $2, $3, '00001', $4, $5, $6, $7, $8)
                 ON CONFLICT (eventdts) DO NOTHING RETURNING eventdts`,
                [
                  eventDts, fit(verdict.facts.fromParty, 10), seqno, verdict.error.code, uuid,
                  fit(basename(path), 100), fit(verdict.error.message, 100), fit(verdict.error.more, 100),
                ],
              );
              if (inserted.length > 0) break;
            }
          }
          return seqno;
        });
      } catch (error) {
        if (pgCode(error) === '23505' && attemptNo < 5) continue;
        throw error;
      }
    }
  }
}
