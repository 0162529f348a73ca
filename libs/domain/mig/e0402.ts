import { XMLBuilder } from 'fast-xml-parser';
import { parsePeriod } from '../period';
import {
  E0402_ITEM_ORDER,
  E0402_ITEM_REQUIRED,
  E0402_MAIN_ORDER,
  E0402_MAIN_REQUIRED,
  MIG_NAMESPACE,
  MIG_ROOT,
} from './mig-fields';
import { inSchemaOrder, requireItems } from './mig-xml';

export interface E0402Input {
  headBan: string;
  /** Same as headBan when the seller has no branches. */
  branchBan: string;
  invoiceType: '07' | '08';
  /** The period; any notation parsePeriod reads, rendered as `yyyMM` (ROC year + even month). */
  period: string;
  track: string;
  /** Blank ranges, inclusive, as 8-digit numbers within the track. */
  blanks: { begin: number; end: number }[];
}

const MAX_NUMBER = 99_999_999;

const builder = new XMLBuilder({ format: true, ignoreAttributes: false, attributeNamePrefix: '@_' });

/** MIG 4.1 E0402 (blank invoice numbers of a period, per track). */
export function renderE0402(v: E0402Input): string {
  requireItems('E0402.Details', 'BranchTrackBlankItem', v.blanks.length);
  for (const { begin, end } of v.blanks) {
    // A bug upstream must not produce a report the platform rejects as a whole package.
    if (!Number.isInteger(begin) || !Number.isInteger(end) || begin < 0 || end > MAX_NUMBER || begin > end) {
      throw new RangeError(`E0402: invalid blank range ${begin}–${end}`);
    }
  }
  const eight = (n: number): string => String(n).padStart(8, '0');
  // An E0402 of a large period carries thousands of items: fast-xml-parser's builder renders them several times
  // faster than the xmlbuilder2 tree the other messages use, with the same schema-order checks (inSchemaOrder).
  const items = v.blanks.map(({ begin, end }, i) =>
    inSchemaOrder(`E0402.BranchTrackBlankItem[${i}]`, E0402_ITEM_ORDER, E0402_ITEM_REQUIRED, { InvoiceBeginNo: eight(begin), InvoiceEndNo: eight(end) }),
  );
  const main = inSchemaOrder('E0402.Main', E0402_MAIN_ORDER, E0402_MAIN_REQUIRED, {
    HeadBan: v.headBan,
    BranchBan: v.branchBan,
    InvoiceType: v.invoiceType,
    YearMonth: parsePeriod(v.period, 'period').code,
    InvoiceTrack: v.track,
  });
  return builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    [MIG_ROOT.E0402]: { '@_xmlns': MIG_NAMESPACE('E0402'), Main: main, Details: { BranchTrackBlankItem: items } },
  });
}
