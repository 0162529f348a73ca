export * from './ban';
export * from './booklets';
export * from './domain-error';
export * from './period';
export * from './track-file';
