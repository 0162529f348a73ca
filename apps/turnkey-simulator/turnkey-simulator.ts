import { promises as fs } from 'node:fs';
import { basename, join } from 'node:path';
import { DataSource } from 'typeorm';
import {
  TURNKEY_MESSAGE_TYPES,
  TurnkeyMessageType,
  invoiceIdentifierOfDay,
  upcastBakDir,
  upcastErrDir,
  upcastSrcDir,
} from '../../libs/adapters/turnkey/turnkey-folders';
import { TurnkeyLog } from '../../libs/adapters/turnkey/turnkey-log';
import { TurnkeyLogWriter } from './turnkey-log-writer';
import { taipeiDay } from '../../libs/domain/taipei-time';
import { MAX_MESSAGE_BYTES, gatewayProblem, limitProblem, partyProblem, schemaProblem } from './message-checks';
import { MessageFacts, NO_FACTS, messageFacts } from './message-facts';
import { MessageProblem, parseMessage } from './message-parser';
import {
  DEFAULT_SIMULATOR_SETTINGS,
  SimulatorSettingsFile,
  TurnkeySimulatorSettings,
  parseSimulatorSettings,
} from './simulator-settings';

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
  /** A MIG 4.1 field limit broken (length, digits, number of items). */
  fieldLimit: 'S005',
  /** A gateway check broken: PrintMark / carrier / donation, AllowanceType. */
  gatewayCheck: 'S006',
  /** A file over 20 MB. */
  fileTooLarge: 'S007',
  /** Sent (G), then rejected by the platform on purpose by the `rejectNextAfterSent` switch. */
  rejectedAfterSent: 'S098',
  /** Rejected on purpose by the `rejectNext` / `rejectRate` switches. */
  simulatedRejection: 'S099',
} as const;

export type SimulatorErrorCode = (typeof SIMULATOR_ERROR_CODES)[keyof typeof SIMULATOR_ERROR_CODES];

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

/** A sent message (G) answered by the platform: C, or E with its code. */
export interface SimulatorSettledMessage {
  seqno: string;
  messageType: string;
  status: 'C' | 'E';
  errorCode?: SimulatorErrorCode;
}

export interface TurnkeySimulatorOptions {
  settings?: Partial<TurnkeySimulatorSettings>;
  /** Seed of the PRNG behind `rejectRate`, so a run is reproducible. */
  seed?: number;
  now?: () => Date;
  onProcessed?: (result: SimulatorProcessedFile) => void;
  onSettled?: (result: SimulatorSettledMessage) => void;
  /** Errors of a cycle or a file; the loop carries on. Defaults to console.error. */
  onError?: (error: unknown) => void;
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

type VerdictError = { code: SimulatorErrorCode; message: string; more?: string };

interface Verdict {
  facts: MessageFacts;
  /** Refused before sending: STATUS E at once, the file to ERR. */
  error?: VerdictError;
}

const reject = (facts: MessageFacts, code: SimulatorErrorCode, problem: MessageProblem): Verdict => ({ facts, error: { code, ...problem } });

/**
 * Plays the MOF platform and Turnkey's result writing for development and tests: consumes files from the UpCast SRC
 * folders, validates them as Turnkey and the platform would, records each message in turnkey_message_log /
 * turnkey_sysevent_log the way Turnkey does, and moves each file to BAK/<yyyyMMdd>/ or ERR/<yyyyMMdd>/. A message
 * moves P → G (sent) → C (confirmed) or E; one that breaks the schema, a field limit or a gateway check goes to E at
 * once. Switches hold messages at G, delay the C, or have the platform answer E after G.
 *
 * A file is recorded before it is moved: after a crash in between it is processed again (at least once), which for
 * an F0401 shows up as a duplicate-number rejection in the log — acceptable for a simulator, and visible. A message
 * left at P (its file taken, the database gone before it was marked sent) is sent on the next cycle; one found at G
 * after a restart is answered once the delay has passed since its MESSAGE_DTS.
 */
export class TurnkeySimulator {
  readonly settings: TurnkeySimulatorSettings;
  private readonly random: () => number;
  private readonly now: () => Date;
  private readonly onProcessed: (result: SimulatorProcessedFile) => void;
  private readonly onSettled: (result: SimulatorSettledMessage) => void;
  /** When each message now at G was sent, by SEQNO. */
  private readonly sentAt = new Map<string, number>();
  private readonly onError: (error: unknown) => void;
  private readonly settingsFile: SimulatorSettingsFile;
  private readonly log: TurnkeyLogWriter;
  private readonly results: TurnkeyLog;
  private serial: Promise<unknown> = Promise.resolve();
  private loop: { stopped: boolean; timer?: NodeJS.Timeout; current: Promise<void> } | undefined;

  constructor(
    private readonly rootDir: string,
    db: DataSource,
    options: TurnkeySimulatorOptions = {},
  ) {
    this.settings = { ...DEFAULT_SIMULATOR_SETTINGS, ...options.settings };
    this.settingsFile = new SimulatorSettingsFile(rootDir);
    this.log = new TurnkeyLogWriter(db);
    this.results = new TurnkeyLog(db);
    this.random = seededRandom(options.seed ?? 0x5eed);
    this.now = options.now ?? (() => new Date());
    this.onProcessed = options.onProcessed ?? (() => undefined);
    this.onSettled = options.onSettled ?? (() => undefined);
    this.onError = options.onError ?? ((error) => console.error(error));
  }

  /** One pass over every SRC folder, then over the messages at G; returns how many files were taken. Calls never overlap. */
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
    await this.settleSent();
    return processed;
  }

  /**
   * Sends a message left at P, and gives the platform's answer to each message at G once `confirmDelayMs` has passed
   * since it was sent, unless held.
   */
  private async settleSent(): Promise<void> {
    for (const row of await this.log.inFlight()) {
      const at = this.now();
      if (row.status === 'P') {
        // Cycles never overlap, so a P here was left by a failure (the database went away) after its file was taken.
        if (await this.log.settle(row.seqno, { status: 'G', at })) this.sentAt.set(row.seqno, at.getTime());
        continue;
      }
      if (this.settings.holdAtSent) continue;
      if (at.getTime() - (this.sentAt.get(row.seqno) ?? row.messageAt.getTime()) < this.settings.confirmDelayMs) continue;
      let error: VerdictError | undefined;
      // Decided when the answer is due, so a test can hold a message at G and then have it rejected.
      if (this.settings.rejectNextAfterSent > 0) {
        this.settings.rejectNextAfterSent -= 1;
        error = { code: SIMULATOR_ERROR_CODES.rejectedAfterSent, message: `${row.messageType}: rejected by the platform after it was sent (rejectNextAfterSent)` };
      }
      if (await this.log.settle(row.seqno, error ? { status: 'E', at, error } : { status: 'C', at })) {
        this.onSettled({ seqno: row.seqno, messageType: row.messageType, status: error ? 'E' : 'C', ...(error ? { errorCode: error.code } : {}) });
      }
      this.sentAt.delete(row.seqno);
    }
  }

  /** Applies `<root>/simulator.json` when its content changed; an invalid one is reported and the settings kept. */
  private async applySettingsFile(): Promise<void> {
    const content = await this.settingsFile.readIfChanged();
    if (content === undefined) return;
    try {
      Object.assign(this.settings, parseSimulatorSettings(content));
    } catch (error) {
      this.onError(new Error(`${this.settingsFile.path} ignored: ${(error as Error).message}`));
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
    // UpCast ignores empty files.
    if (bytes.length === 0) return false;
    const verdict = await this.judge(type, bytes);
    const at = this.now();
    const seqno = await this.log.record({
      messageType: type,
      at,
      fromPartyId: verdict.facts.fromParty,
      toPartyId: verdict.facts.toParty,
      characterCount: bytes.length,
      invoiceIdentifier: verdict.facts.identifier,
      ...(verdict.error ? { error: { ...verdict.error, information: basename(path) } } : { status: 'P' as const }),
    });
    const destination = join(verdict.error ? upcastErrDir(this.rootDir, type) : upcastBakDir(this.rootDir, type), taipeiDay(at));
    await fs.mkdir(destination, { recursive: true });
    const movedTo = join(destination, basename(path));
    await fs.rename(path, movedTo);
    if (!verdict.error) {
      this.sentAt.set(seqno, at.getTime());
      await this.log.settle(seqno, { status: 'G', at });
    }
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

  /**
   * Size, schema, field limits and gateway checks first, then BAN checksums, then what only the platform's records
   * can tell, then the switches.
   */
  private async judge(type: TurnkeyMessageType, bytes: Buffer): Promise<Verdict> {
    if (bytes.length > MAX_MESSAGE_BYTES) {
      return reject(NO_FACTS, SIMULATOR_ERROR_CODES.fileTooLarge, { message: `${type}: the file has ${bytes.length} bytes; Turnkey takes at most ${MAX_MESSAGE_BYTES}` });
    }
    const parsed = parseMessage(type, bytes);
    if ('problem' in parsed) return reject(NO_FACTS, SIMULATOR_ERROR_CODES.schema, parsed.problem);
    const facts = messageFacts(type, parsed.root);
    const schema = schemaProblem(type, parsed);
    if (schema) return reject(facts, SIMULATOR_ERROR_CODES.schema, schema);
    const limit = limitProblem(type, parsed);
    if (limit) return reject(facts, SIMULATOR_ERROR_CODES.fieldLimit, limit);
    const gateway = gatewayProblem(type, parsed);
    if (gateway) return reject(facts, SIMULATOR_ERROR_CODES.gatewayCheck, gateway);
    const parties = partyProblem(type, facts);
    if (parties) return reject(facts, SIMULATOR_ERROR_CODES.banChecksum, parties);

    // The schema checks passed, so an F0401 or F0501 names its invoice with a valid number and day.
    if (type === 'F0401' && facts.invoice) {
      const { number, day } = facts.invoice;
      if (await this.acceptedInPeriod(number, day)) {
        return reject(facts, SIMULATOR_ERROR_CODES.duplicateNumber, { message: `F0401: invoice number ${number} was already accepted` });
      }
    }
    if (type === 'F0501' && facts.invoice) {
      const { number, day } = facts.invoice;
      if (!(await this.results.hasAccepted(invoiceIdentifierOfDay('F0401', number, day)))) {
        return reject(facts, SIMULATOR_ERROR_CODES.unknownInvoice, { message: `F0501: invoice ${number} of ${day} was never accepted` });
      }
    }

    if (this.settings.rejectNext > 0) {
      this.settings.rejectNext -= 1;
      return reject(facts, SIMULATOR_ERROR_CODES.simulatedRejection, { message: `${type}: simulated rejection (rejectNext)` });
    }
    if (this.settings.rejectRate > 0 && this.random() < this.settings.rejectRate) {
      return reject(facts, SIMULATOR_ERROR_CODES.simulatedRejection, { message: `${type}: simulated rejection (rejectRate)` });
    }
    return { facts };
  }

  /**
   * Track letters are handed out again in later periods, so a number is a duplicate only within the two-month period
   * of its invoice date (identifiers end in yyyyMMdd, so the period is a string range).
   */
  private acceptedInPeriod(number: string, day: string): Promise<boolean> {
    const year = day.slice(0, 4);
    const firstMonth = Number(day.slice(4, 6)) % 2 === 1 ? Number(day.slice(4, 6)) : Number(day.slice(4, 6)) - 1;
    const from = `F0401${number}${year}${String(firstMonth).padStart(2, '0')}01`;
    const to = `F0401${number}${year}${String(firstMonth + 1).padStart(2, '0')}31`;
    return this.results.hasReachedPlatformBetween('F0401', from, to);
  }
}
