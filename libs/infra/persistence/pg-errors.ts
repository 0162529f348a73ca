import { QueryFailedError, QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';

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

/** Socket errors of a database that is down, restarting or unreachable. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);
/** SQLSTATE classes 08 (connection exception) and 57P (operator intervention: shutdown, crash, not yet ready). */
const UNAVAILABLE_SQLSTATE = /^(08|57P0[1-3]$|53300$)/;
/** What node-postgres says, with no code, when the server goes away mid-query or the pool cannot connect in time. */
const UNAVAILABLE_MESSAGE = /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i;

/** True when the error says the database cannot be reached right now, rather than that the request was wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
  // TypeORM gives a transaction's connection back the moment the server drops it between two statements, and the
  // next statement or the COMMIT then meets one of these rather than the server's error.
  if (error instanceof QueryRunnerProviderAlreadyReleasedError || error instanceof QueryRunnerAlreadyReleasedError) return true;
  const driverError = error instanceof QueryFailedError ? error.driverError : error;
  // Not `instanceof Error`: Node's socket errors come from another realm where the code runs in a vm (jest).
  if (typeof driverError !== 'object' || driverError === null) return false;
  const code = pgErrorCode(driverError);
  if (code && (SOCKET_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return true;
  const message = (driverError as { message?: unknown }).message;
  if (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message)) return true;
  const cause = (driverError as { cause?: unknown }).cause;
  return cause !== undefined && cause !== driverError && isDatabaseUnavailable(cause);
}
