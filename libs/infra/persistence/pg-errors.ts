import { QueryFailedError } from 'typeorm';

const UNIQUE_VIOLATION = '23505';

/** The PostgreSQL error code (SQLSTATE) behind a failed query, whichever layer wrapped it. */
export function pgErrorCode(error: unknown): string | undefined {
  const driverError = error instanceof QueryFailedError ? error.driverError : error;
  const code = (driverError as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const driverError = error instanceof QueryFailedError ? (error.driverError as { constraint?: string }) : (error as { constraint?: string } | undefined);
  return pgErrorCode(error) === UNIQUE_VIOLATION && (!constraint || driverError?.constraint === constraint);
}
