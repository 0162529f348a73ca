export * from './filing-input';
export * from './media-record';
export * from './media-file';
export * from './sales-summary';
export * from './completeness';
