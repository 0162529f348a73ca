import { DataSource } from 'typeorm';
import { Clock } from '../../adapters/clock/clock';
import { SignInRefusalsRepository } from './sign-in-refusals.repository';
import { SignInThrottle } from './sign-in-throttle';

/** The sessions module's face: dashboard sessions behind hashed cookie tokens, and the sign-in's throttle. */
export { SESSION_TTL_MS, StaffSessionsService } from './staff-sessions.service';
export type { StaffSessionRecord } from './staff-sessions.repository';
export { SIGN_IN_ATTEMPTS, SIGN_IN_WINDOW_MS, SignInThrottle } from './sign-in-throttle';

export function createSignInThrottle(db: DataSource, clock: Clock): SignInThrottle {
  return new SignInThrottle(new SignInRefusalsRepository(db), clock);
}
