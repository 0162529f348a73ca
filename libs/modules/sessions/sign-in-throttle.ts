import { Clock } from '../../adapters/clock/clock';
import { SignInRefusalsRepository } from './sign-in-refusals.repository';

/** Wrong keys an address may try in a window before its sign-ins are refused until the window has passed. */
export const SIGN_IN_ATTEMPTS = 10;
export const SIGN_IN_WINDOW_MS = 60_000;

/**
 * The sign-in's throttle, per client address, kept in `sign_in_refusals` so every API process counts the same
 * refusals. While an address is throttled even a correct key from it is refused: the throttle must not tell a
 * guesser which key was right.
 */
export class SignInThrottle {
  constructor(
    private readonly refusals: SignInRefusalsRepository,
    private readonly clock: Clock,
  ) {}

  /** Seconds until the address may try again; 0 when it may now. */
  async waitFor(address: string): Promise<number> {
    const since = new Date(this.clock.now().getTime() - SIGN_IN_WINDOW_MS);
    const wrong = await this.refusals.recentWrongKeys(address, since, SIGN_IN_ATTEMPTS);
    if (wrong.length < SIGN_IN_ATTEMPTS) return 0;
    // The oldest of the last ten leaves the window first.
    const freeAt = wrong[wrong.length - 1].getTime() + SIGN_IN_WINDOW_MS;
    return Math.max(1, Math.ceil((freeAt - this.clock.now().getTime()) / 1000));
  }

  async refused(address: string, reason: 'invalid_key' | 'throttled'): Promise<void> {
    await this.refusals.insert(address, this.clock.now(), reason);
  }
}
