import { ApplicationFailure } from '@temporalio/workflow';
import { DomainError, ErrorKind } from '../domain/domain-error';

/**
 * Domain errors cross Temporal as non-retryable failures typed by their code, with their kind and details, so the
 * API answers a refusal from a workflow or activity exactly as it would answer the same error raised in-process.
 */
export function failureOf(error: DomainError): ApplicationFailure {
  return ApplicationFailure.create({ type: error.code, message: error.message, nonRetryable: true, details: [{ kind: error.kind, details: error.details }] });
}

/** Runs a check, turning its domain error into the failure a workflow validator or activity throws. */
export function refusing<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof DomainError) throw failureOf(error);
    throw error;
  }
}

/** The domain error behind a failure: the failure itself or any cause in its chain. */
export function domainErrorOf(failure: unknown): DomainError | undefined {
  for (let cause: unknown = failure; cause; cause = (cause as { cause?: unknown }).cause) {
    if (cause instanceof ApplicationFailure && cause.type && cause.nonRetryable) {
      const [info] = (cause.details ?? []) as [{ kind?: ErrorKind; details?: DomainError['details'] }?];
      return new DomainError(info?.kind ?? 'conflict', cause.type, cause.message, info?.details ?? []);
    }
  }
  return undefined;
}
