/** The numbers module's face: track import, booklets, the allocator and number stock. */
export { NumberAllocator } from './number-allocator';
export type { AllocatedNumber, AllocationRequest } from './number-allocator';
export { NumberStock } from './number-stock';
export type { ChannelStock, NumberStockReport, StockRow } from './number-stock.repository';
export { TracksService } from './tracks.service';
export type { BookletAssignment, BookletView, TrackRangeView } from './tracks.service';
export type { BookletRecord, TrackRangeRecord } from './number.records';
