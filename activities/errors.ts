import { ApplicationFailure } from '@temporalio/activity';
import { failureOf } from '../libs/contracts/failures';
import { DomainError } from '../libs/domain';

/**
 * The one translator for activities: domain errors are permanent (retrying cannot make an invalid request valid), so
 * the workflow sees them at once with their code and kind; anything else is left to the retry policy.
 */
export async function permanentOnDomainError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DomainError) throw failureOf(error);
    throw error;
  }
}

/** A retryable failure that the retry policy turns into polling: no worker slot is held while waiting. */
export function notYet(type: string, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type, message });
}
