/** The invariants module's face: the checker behind `npm run check:invariants` and the reliability suite. */
export { InvariantsChecker } from './invariants.checker';
export type { InvariantName, InvariantReport, LifecycleLookup, Violation } from './invariants.checker';
