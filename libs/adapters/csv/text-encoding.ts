import * as iconv from 'iconv-lite';
import { DomainError } from '../../domain';

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const REPLACEMENT = '\ufffd';

/** 1-based line of the first character a decoder could not read, or undefined when it read everything. */
function firstBadLine(decoded: string): number | undefined {
  const bad = decoded.indexOf(REPLACEMENT);
  return bad < 0 ? undefined : decoded.slice(0, bad).split('\n').length;
}

function isUtf8(content: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(content);
    return true;
  } catch {
    return false;
  }
}

/**
 * Decodes a file that is UTF-8 (with or without BOM) or Big5 (the MOF's download, in its Windows code page 950
 * form). Anything else is refused, naming the first line that cannot be read.
 */
export function decodeUtf8OrBig5(content: Buffer): string {
  if (content.subarray(0, 3).equals(UTF8_BOM)) {
    const body = content.subarray(3);
    if (!isUtf8(body)) throw encodingError(firstBadLine(body.toString('utf-8')) ?? 1);
    return body.toString('utf-8');
  }
  if (isUtf8(content)) return content.toString('utf-8');
  const big5 = iconv.decode(content, 'cp950');
  const big5Bad = firstBadLine(big5);
  if (big5Bad === undefined) return big5;
  // Neither reads the file: the encoding that got further is the one the file was meant to be in.
  throw encodingError(Math.max(big5Bad, firstBadLine(content.toString('utf-8')) ?? 1));
}

function encodingError(row: number): DomainError {
  const message = 'the file is neither UTF-8 nor Big5; save it as Big5 (as downloaded from the MOF) or UTF-8';
  return new DomainError('invalid', 'FILE.ENCODING', `row ${row}: ${message}`, [{ row, code: 'FILE.ENCODING', message }]);
}
