export * from './proof-codes';
export * from './proof-content';
export * from './proof-rules';
