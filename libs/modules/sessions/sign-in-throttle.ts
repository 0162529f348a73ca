import { Clock } from '../../adapters/clock/clock';
import { SignInRefusalsRepository } from './sign-in-refusals.repository';

/** Wrong keys an address may try in a window before its sign-ins are refused until the window has passed. */
export const SIGN_IN_ATTEMPTS = 10;
export const SIGN_IN_WINDOW_MS = 60_000;

/** A sign-in let through (`keyWasRight` once its key resolves), or refused with the seconds until it may try again. */
export type SignInAttempt = { admitted: true; id: string } | { admitted: false; retryAfterSeconds: number };

/**
 * The sign-in's throttle, per client address, kept in `sign_in_refusals` so every API process counts the same
 * refusals. While an address is throttled even a correct key from it is refused: the throttle must not tell a
 * guesser which key was right. Every attempt counts as a wrong key until its key is found right, so a burst of
 * attempts sent at once gets no more tries than the same attempts one after another.
 */
export class SignInThrottle {
  constructor(
    private readonly refusals: SignInRefusalsRepository,
    private readonly clock: Clock,
  ) {}

  async attempt(address: string): Promise<SignInAttempt> {
    const now = this.clock.now().getTime();
    const admission = await this.refusals.admit(address, new Date(now), new Date(now - SIGN_IN_WINDOW_MS), SIGN_IN_ATTEMPTS);
    if (admission.admitted) return admission;
    // The oldest of the last ten leaves the window first.
    const freeAt = admission.wrongKeysSince[admission.wrongKeysSince.length - 1].getTime() + SIGN_IN_WINDOW_MS;
    return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil((freeAt - now) / 1000)) };
  }

  /** The attempt's key was right: it is not counted as a wrong one. */
  async keyWasRight(attempt: { id: string }): Promise<void> {
    await this.refusals.remove(attempt.id);
  }
}
