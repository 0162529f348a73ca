import { join } from 'node:path';
import { taipeiDay } from '../../domain/taipei-time';

/** The MIG 4.1 messages this back office hands to Turnkey. */
export type TurnkeyMessageType = 'F0401' | 'F0501' | 'G0401' | 'G0501' | 'E0402';

export const TURNKEY_MESSAGE_TYPES: readonly TurnkeyMessageType[] = ['F0401', 'F0501', 'G0401', 'G0501', 'E0402'];

/** Storage messages (存證) go through B2SSTORAGE; E0402 is a platform message and lives under B2PMESSAGE, not B2S. */
export function turnkeyRoute(messageType: TurnkeyMessageType): { categoryType: 'B2S' | 'B2P'; processType: 'STORAGE' | 'MESSAGE' } {
  return messageType === 'E0402' ? { categoryType: 'B2P', processType: 'MESSAGE' } : { categoryType: 'B2S', processType: 'STORAGE' };
}

/** `<root>/UpCast/<CATEGORY><PROCESS>/<type>`: the parent of SRC, BAK and ERR. */
export function upcastDir(root: string, messageType: TurnkeyMessageType): string {
  const { categoryType, processType } = turnkeyRoute(messageType);
  return join(root, 'UpCast', `${categoryType}${processType}`, messageType);
}

/** Where we drop files for Turnkey to pick up. */
export function upcastSrcDir(root: string, messageType: TurnkeyMessageType): string {
  return join(upcastDir(root, messageType), 'SRC');
}

/** Where Turnkey (or the simulator) moves files it processed, under `<yyyyMMdd>/` (real Turnkey adds `<HH>/`). */
export function upcastBakDir(root: string, messageType: TurnkeyMessageType): string {
  return join(upcastDir(root, messageType), 'BAK');
}

/** Where files that failed the MIG/XSD checks end up, under a date folder. */
export function upcastErrDir(root: string, messageType: TurnkeyMessageType): string {
  return join(upcastDir(root, messageType), 'ERR');
}

/**
 * Temp files are written here and renamed into SRC. It sits under the root so the rename stays on one file system
 * (atomic), and outside every SRC folder so Turnkey never sees a half-written file.
 */
export function stagingDir(root: string): string {
  return join(root, '.staging');
}

/** INVOICE_IDENTIFIER is varchar(30) in Turnkey's DBSchema. */
export const INVOICE_IDENTIFIER_MAX_LENGTH = 30;

function checkedIdentifier(identifier: string): string {
  if (identifier.length > INVOICE_IDENTIFIER_MAX_LENGTH) {
    throw new Error(`invoice identifier '${identifier}' is longer than ${INVOICE_IDENTIFIER_MAX_LENGTH} characters`);
  }
  return identifier;
}

/**
 * Turnkey's INVOICE_IDENTIFIER for an invoice-like message: message type + number + `yyyyMMdd`, where the day is
 * F0401 InvoiceDate, F0501 CancelDate, G0401 AllowanceDate, G0501 CancelDate (the date field the message carries).
 * Use `invoiceIdentifierOfDay` when the day is already a `yyyyMMdd` string from the XML.
 */
export function invoiceIdentifier(messageType: Exclude<TurnkeyMessageType, 'E0402'>, number: string, date: Date): string {
  return invoiceIdentifierOfDay(messageType, number, taipeiDay(date));
}

export function invoiceIdentifierOfDay(messageType: Exclude<TurnkeyMessageType, 'E0402'>, number: string, day: string): string {
  if (!/^\d{8}$/.test(day)) throw new Error(`day must be yyyyMMdd, got '${day}'`);
  if (!number) throw new Error('number is required for an invoice identifier');
  return checkedIdentifier(`${messageType}${number}${day}`);
}

/** E0402 has no invoice number: `E0402` + BranchBan + InvoiceTrack + period (YearMonth, `yyyMM`), 20 characters. */
export function blankReportIdentifier(branchBan: string, track: string, period: string): string {
  return checkedIdentifier(`E0402${branchBan}${track}${period}`);
}
