/** A range of numbers the MOF allocated to a seller for one period, as imported from its number file. */
export interface TrackRangeRecord {
  id: string;
  sellerId: string;
  period: string;
  invoiceType: string;
  track: string;
  startNo: number;
  endNo: number;
  sourceFile: string | null;
  importedAt: Date;
}

/** 50 consecutive numbers; `nextSeq` numbers from its start have been allocated, in order. */
export interface BookletRecord {
  id: string;
  trackRangeId: string;
  sellerId: string;
  track: string;
  startNo: number;
  channelId: string | null;
  thirdParty: string | null;
  blankStart: number | null;
  nextSeq: number;
}
