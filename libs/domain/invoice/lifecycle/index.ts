// The invoice lifecycle as a decision function: the workflow imports it from here.
export * from './lifecycle.types';
export { checkOnArrival } from './requests';
export { decide, isFinished, startLifecycle } from './decide';
export { lifecycleStatus, operationState } from './lifecycle-state';
