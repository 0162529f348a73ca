import * as iconv from 'iconv-lite';
import { TRACK_FILE_COLUMNS } from '../../libs/domain';

export interface MofRow {
  ban?: string;
  type?: string;
  period?: string;
  track: string;
  start: string;
  end: string;
}

/** A MOF number file as the platform hands it out: Big5 by default, header row, CRLF. */
export function mofCsv(sellerBan: string, rows: MofRow[], options: { encoding?: 'big5' | 'utf8'; bom?: boolean } = {}): Buffer {
  const lines = [
    TRACK_FILE_COLUMNS.join(','),
    ...rows.map((r) => [r.ban ?? sellerBan, r.type ?? '07', '一般稅額計算', r.period ?? '115/01 ~ 115/02', r.track, r.start, r.end].join(',')),
  ];
  const text = lines.join('\r\n') + '\r\n';
  if ((options.encoding ?? 'big5') === 'big5') return iconv.encode(text, 'big5');
  return Buffer.concat([options.bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text, 'utf8')]);
}
