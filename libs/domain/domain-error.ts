/** How the edge should treat an error; the API maps it to an HTTP status, activities to retryability. */
export type ErrorKind = 'invalid' | 'not_found' | 'conflict' | 'forbidden';

/** The HTTP status each kind of error answers with; every error code carries its kind. */
export const HTTP_STATUS_OF_KIND: Record<ErrorKind, number> = {
  invalid: 400,
  not_found: 404,
  conflict: 409,
  forbidden: 403,
};

export interface ErrorDetail {
  row?: number;
  column?: string;
  field?: string;
  code: string;
  message: string;
}

/** An error with a stable code that crosses process boundaries (API, worker) unchanged. */
export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
