import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { Request, Response } from 'express';
import { DomainError, ErrorDetail, HTTP_STATUS_OF_KIND } from '../../../libs/domain';
import { isDatabaseUnavailable } from '../../../libs/infra/persistence/pg-errors';

interface ErrorBody {
  code: string;
  message: string;
  details: ErrorDetail[];
}

/** One error shape for every failure: `{code, message, details: [{row?, column?, field?, code, message}]}`. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const [status, body] = this.describe(error);
    if (status >= 500) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    afterBody(http.getRequest<Request>(), response, () => response.status(status).json(body));
  }

  private describe(error: unknown): [number, ErrorBody] {
    if (error instanceof DomainError) {
      return [HTTP_STATUS_OF_KIND[error.kind], { code: error.code, message: error.message, details: error.details }];
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const response = error.getResponse();
      const body = typeof response === 'object' ? (response as Partial<ErrorBody> & { message?: unknown }) : {};
      return [
        status,
        {
          // Nest's own exceptions, which carry no code of ours, get the API's code for their status where it has one.
          code: body.code ?? REQUEST_ERROR_CODES[status] ?? `HTTP.${status}`,
          message: typeof body.message === 'string' ? body.message : error.message,
          details: Array.isArray(body.details) ? body.details : [],
        },
      ];
    }
    const client = clientRequestError(error);
    if (client) return client;
    if (isDatabaseUnavailable(error)) {
      // Every write is one transaction, so a request cut off here changed nothing; the pool reconnects by itself.
      return [HttpStatus.SERVICE_UNAVAILABLE, { code: 'SERVICE.UNAVAILABLE', message: 'the database is unavailable; try again shortly', details: [] }];
    }
    return [HttpStatus.INTERNAL_SERVER_ERROR, { code: 'INTERNAL', message: 'internal error; see the service log', details: [] }];
  }
}

/** Beyond this much unread body the client is cut off: `Connection: close`, and the answer goes out at once. */
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * Answers once the request's body is read. A refusal sent while the client is still uploading (an upload past its
 * limit stops being read; an unauthenticated one is never read) reaches a client such as Node's fetch as a reset
 * (EPIPE) instead of the answer: so the rest is read and dropped first, up to a bound.
 */
function afterBody(request: Request, response: Response, send: () => void): void {
  if (request.complete || request.readableEnded || request.destroyed) return send();
  let read = 0;
  let sent = false;
  const once = () => {
    if (sent) return;
    sent = true;
    request.off('data', count);
    send();
  };
  const count = (chunk: Buffer) => {
    read += chunk.length;
    if (read > DRAIN_LIMIT_BYTES) {
      response.setHeader('Connection', 'close');
      once();
    }
  };
  request.on('data', count);
  request.once('end', once);
  request.once('error', once);
  request.once('close', once);
  request.resume();
}

/** http-errors' shape, as body-parser and the request body checks raise it: a 4xx status and a type. */
const REQUEST_ERROR_CODES: Record<number, string> = {
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'REQUEST.TOO_LARGE',
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
};

const REQUEST_ERROR_TYPES: Record<string, string> = {
  'entity.parse.failed': 'REQUEST.MALFORMED_JSON',
  'entity.too.deep': 'REQUEST.TOO_DEEP',
  'entity.key.forbidden': 'REQUEST.FORBIDDEN_KEY',
  'entity.text.invalid': 'REQUEST.INVALID_TEXT',
};

/** A malformed or oversized request refused before any route ran: the client's mistake, never a 500. */
function clientRequestError(error: unknown): [number, ErrorBody] | undefined {
  const e = error as { status?: unknown; statusCode?: unknown; type?: unknown; expose?: unknown; message?: unknown; limit?: unknown };
  const status = typeof e?.status === 'number' ? e.status : e?.statusCode;
  if (typeof status !== 'number' || status < 400 || status >= 500 || e.expose !== true) return undefined;
  const code =
    REQUEST_ERROR_CODES[status] ??
    (typeof e.type === 'string' && Object.hasOwn(REQUEST_ERROR_TYPES, e.type) ? REQUEST_ERROR_TYPES[e.type] : 'REQUEST.INVALID');
  const message =
    status === HttpStatus.PAYLOAD_TOO_LARGE && typeof e.limit === 'number'
      ? `the request body is larger than the limit of ${e.limit} bytes`
      : typeof e.message === 'string'
        ? e.message
        : 'invalid request';
  return [status, { code, message, details: [] }];
}
