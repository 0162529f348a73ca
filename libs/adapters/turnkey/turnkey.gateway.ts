import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, join } from 'node:path';
import { DataSource } from 'typeorm';
import {
  TurnkeyMessageType,
  stagingDir,
  upcastBakDir,
  upcastErrDir,
  upcastSrcDir,
} from './turnkey-folders';
import { TurnkeyLog } from './turnkey-log';
import { taipeiDay } from '../../domain/taipei-time';

export interface TurnkeyMessage {
  messageType: TurnkeyMessageType;
  fileName: string;
  xml: string;
  /**
   * The caller has just reserved `fileName` (a unique row of its own) and never delivered it: the folders are not
   * searched for an earlier delivery, which costs up to 25 lookups per day of the look-back in BAK and in ERR each.
   */
  newName?: boolean;
}

export interface TurnkeyOutcomeQuery {
  messageType: TurnkeyMessageType;
  invoiceIdentifier: string;
  since: Date;
}

export type TurnkeyOutcome =
  | { state: 'pending' }
  | { state: 'sent'; at: Date }
  | { state: 'accepted'; at: Date }
  | { state: 'rejected'; at: Date; errorCode: string; errorMessage: string };

/** Stable error codes; activities treat these as permanent (retrying cannot help). */
export const TURNKEY_ERROR = {
  badFileName: 'TURNKEY.BAD_FILE_NAME',
  fileNameConflict: 'TURNKEY.FILE_NAME_CONFLICT',
} as const;

export class TurnkeyGatewayError extends Error {
  constructor(
    readonly code: (typeof TURNKEY_ERROR)[keyof typeof TURNKEY_ERROR],
    message: string,
  ) {
    super(message);
    this.name = 'TurnkeyGatewayError';
  }
}

export interface TurnkeyGatewayOptions {
  /**
   * How many days of BAK/ERR date folders a redelivery looks through for an already processed file. Redelivery
   * only happens when an activity is retried, so a bounded window keeps each delivery cheap as BAK grows.
   */
  redeliveryLookbackDays?: number;
  now?: () => Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === 'ENOENT';
}

async function readIfExists(path: string): Promise<Buffer | undefined> {
  try {
    return await fs.readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException)?.code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return undefined;
    throw error;
  }
}

async function listIfExists(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
}

/** Makes a rename durable: without it a crash can forget the directory entry even though rename returned. */
async function fsyncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * The port to Turnkey: files go in through its UpCast folders, outcomes come back from its TURNKEY_MESSAGE_LOG
 * (written by real Turnkey in production and by the simulator in development), so both cases share one code path.
 */
export class TurnkeyGateway {
  private readonly lookbackDays: number;
  private readonly now: () => Date;
  private readonly log: TurnkeyLog;

  constructor(
    private readonly rootDir: string,
    resultsDb: DataSource,
    options: TurnkeyGatewayOptions = {},
  ) {
    this.log = new TurnkeyLog(resultsDb);
    this.lookbackDays = options.redeliveryLookbackDays ?? 31;
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Writes the message into its SRC folder atomically: Turnkey must never pick up a half-written file, so the bytes
   * go to a staging file outside SRC, are fsynced, and then renamed in. Delivering the same file name with the same
   * content again is a no-op wherever Turnkey has moved it (SRC, BAK or ERR), so a retried activity is harmless; the
   * same name with different content is a conflict (a corrected resend needs a new file name).
   */
  async deliver(message: TurnkeyMessage): Promise<{ path: string }> {
    const { messageType, fileName } = message;
    if (!fileName || basename(fileName) !== fileName || fileName.startsWith('.')) {
      throw new TurnkeyGatewayError(TURNKEY_ERROR.badFileName, `invalid Turnkey file name '${fileName}': a plain file name is required`);
    }
    const content = Buffer.from(message.xml, 'utf8');
    const existing = message.newName ? undefined : await this.findDelivered(messageType, fileName);
    if (existing) {
      if (existing.content.equals(content)) return { path: existing.path };
      throw new TurnkeyGatewayError(
        TURNKEY_ERROR.fileNameConflict,
        `${existing.path} already exists with different content; deliver a changed message under a new file name`,
      );
    }

    const src = upcastSrcDir(this.rootDir, messageType);
    const staging = stagingDir(this.rootDir);
    await fs.mkdir(src, { recursive: true });
    await fs.mkdir(staging, { recursive: true });
    const temp = join(staging, `${fileName}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    const target = join(src, fileName);
    try {
      const handle = await fs.open(temp, 'wx');
      try {
        await handle.writeFile(content);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.rename(temp, target);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
    await fsyncDir(src);
    return { path: target };
  }

  /**
   * The outcome of the message with this identifier sent at or after `since`. The latest row wins: a resend after a
   * rejection creates a new row, and that resend's result is the one that counts. Only C (confirmed by the platform)
   * is accepted; G is sent (the platform may still answer E, so it is watched on), E… and I are rejected; P, no row,
   * and statuses with no documented meaning are pending, which leaves them to the deadline alerts rather than guessing.
   * A verdict is dated by its event row, else by when it was seen: the log keeps no time for a change to C.
   */
  async outcome(q: TurnkeyOutcomeQuery): Promise<TurnkeyOutcome> {
    const latest = await this.log.latest(q.messageType, q.invoiceIdentifier, q.since);
    const status = latest?.status?.trim().toUpperCase() ?? '';
    if (!latest || !status) return { state: 'pending' };
    if (status === 'G') return { state: 'sent', at: latest.messageAt };
    if (status === 'C') return { state: 'accepted', at: this.now() };
    if (status.startsWith('E') || status.startsWith('I')) {
      const at = latest.errorAt ?? this.now();
      // Turnkey may put the code in STATUS itself (E plus a code, the column is 5 wide) when no event row explains it.
      const errorCode = latest.errorCode?.trim() || status.slice(1) || status;
      const text = latest.errorMessages
        .map((part) => part.trim())
        .filter((part) => !!part)
        .join(' ');
      return { state: 'rejected', at, errorCode, errorMessage: text || `Turnkey reported status ${status} without a message` };
    }
    return { state: 'pending' };
  }

  /**
   * The outcome of an E0402 (one track and invoice type of a period), read through `outcome` so it is judged by the
   * same statuses as every other message. Its INVOICE_IDENTIFIER differs between Turnkey versions (branch BAN + track
   * + invoice type, with or without `-`, or ours with the period), so every spelling is matched and the newest
   * verdict among them counts.
   */
  async blankReportOutcome(q: { branchBan: string; track: string; invoiceType: string; period: string; since: Date }): Promise<TurnkeyOutcome> {
    const { branchBan: ban, track, invoiceType: type, period } = q;
    const forms = [`${ban}${track}${type}`, `${ban}${track}${period}`, `${ban}${track}${type}${period}`, `${ban}${track}${period}${type}`];
    const identifiers = await this.log.identifiersLike('E0402', forms, q.since);
    let best: TurnkeyOutcome = { state: 'pending' };
    for (const invoiceIdentifier of identifiers) {
      const outcome = await this.outcome({ messageType: 'E0402', invoiceIdentifier, since: q.since });
      if (outcome.state !== 'pending' && (best.state === 'pending' || outcome.at > best.at)) best = outcome;
    }
    return best;
  }

  /** Looks for the file in SRC, then in BAK and ERR (flat, `<yyyyMMdd>/` and Turnkey's `<yyyyMMdd>/<HH>/`). */
  private async findDelivered(messageType: TurnkeyMessageType, fileName: string): Promise<{ path: string; content: Buffer } | undefined> {
    // SRC before BAK/ERR: Turnkey moves files out of SRC, so a file that leaves SRC while we look is found later on.
    const inSrc = join(upcastSrcDir(this.rootDir, messageType), fileName);
    const srcContent = await readIfExists(inSrc);
    if (srcContent) return { path: inSrc, content: srcContent };

    const oldestDay = taipeiDay(new Date(this.now().getTime() - this.lookbackDays * DAY_MS));
    for (const base of [upcastBakDir(this.rootDir, messageType), upcastErrDir(this.rootDir, messageType)]) {
      const candidates = [join(base, fileName)];
      const days = (await listIfExists(base)).filter((name) => /^\d{8}$/.test(name) && name >= oldestDay).sort().reverse();
      for (const day of days) {
        candidates.push(join(base, day, fileName));
        for (let hour = 0; hour < 24; hour++) candidates.push(join(base, day, String(hour).padStart(2, '0'), fileName));
      }
      for (const path of candidates) {
        const content = await readIfExists(path);
        if (content) return { path, content };
      }
    }
    return undefined;
  }
}
