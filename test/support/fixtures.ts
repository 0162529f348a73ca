import * as iconv from 'iconv-lite';
import { TRACK_FILE_COLUMNS } from '../../libs/domain';
import { InvoiceInput } from '../../libs/domain/invoice/invoice.types';

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

/** A valid two-line B2C order with a mobile barcode carrier (the description tests XML escaping). */
export function b2cOrder(billingNo: string, extra: Partial<InvoiceInput> = {}): InvoiceInput {
  return {
    billingNo,
    taxType: '1',
    buyer: { name: '王小明' },
    carrier: { type: '3J0002', id: '/ABC+123' },
    lines: [
      { description: '咖啡豆 <特選> & 濾紙', quantity: 2, unitPrice: 150, amount: 300 },
      { description: '運費', quantity: 1, unitPrice: 60, amount: 60 },
    ],
    ...extra,
  };
}
