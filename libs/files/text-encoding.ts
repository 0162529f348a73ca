import * as iconv from 'iconv-lite';
import { DomainError } from '../domain';

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Decodes a file that is UTF-8 (with or without BOM) or Big5 (the MOF's download, in its Windows code page 950
 * form). Anything else is refused, naming the first line that cannot be read.
 */
export function decodeUtf8OrBig5(content: Buffer): { text: string; encoding: 'utf-8' | 'big5' } {
  if (content.subarray(0, 3).equals(UTF8_BOM)) {
    return { text: decodeStrictUtf8(content.subarray(3)), encoding: 'utf-8' };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(content), encoding: 'utf-8' };
  } catch {
    const text = iconv.decode(content, 'cp950');
    const bad = text.indexOf('\ufffd');
    if (bad >= 0) throw encodingError(text.slice(0, bad).split('\n').length);
    return { text, encoding: 'big5' };
  }
}

function decodeStrictUtf8(content: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    const lossy = content.toString('utf-8');
    throw encodingError(lossy.slice(0, lossy.indexOf('\ufffd')).split('\n').length);
  }
}

function encodingError(row: number): DomainError {
  const message = 'the file is neither UTF-8 nor Big5; save it as Big5 (as downloaded from the MOF) or UTF-8';
  return new DomainError('invalid', 'FILE.ENCODING', `row ${row}: ${message}`, [
    { row, code: 'FILE.ENCODING', message },
  ]);
}
