import { ApplicationFailure } from '@temporalio/activity';
import { DomainError } from '../libs/domain';

/** Domain errors are permanent: retrying cannot make an invalid request valid, so the workflow sees them at once. */
export async function permanentOnDomainError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DomainError) {
      throw ApplicationFailure.create({ type: error.code, message: error.message, nonRetryable: true, details: [error.details] });
    }
    throw error;
  }
}
