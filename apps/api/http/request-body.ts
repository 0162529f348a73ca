import { HttpStatus } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

/**
 * The JSON body limit: an invoice of 9,999 lines with every text field at its MIG limit, written in 4-byte UTF-8
 * characters, is about 27 MB; a body above this is refused with 413 before it is parsed.
 */
export const JSON_BODY_LIMIT_BYTES = 32 * 1024 * 1024;

/** Bodies the API reads: JSON, or a multipart upload (the routes taking a file). */
const ACCEPTED_TYPES = ['application/json', 'multipart/form-data'];

/** A client error raised before a route is reached, shaped like body-parser's so the error filter maps both alike. */
export class RequestBodyError extends Error {
  readonly expose = true;
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

function hasBody(request: Request): boolean {
  return request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
}

/** 415 for a body of a type no route reads, so it is not silently dropped and judged as an empty request. */
function requireReadableBody(request: Request, _response: Response, next: NextFunction): void {
  if (hasBody(request) && !request.is(ACCEPTED_TYPES)) {
    const given = request.headers['content-type'] ?? '(none)';
    next(new RequestBodyError(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'content_type.unsupported', `Content-Type ${given} is not accepted: send application/json, or multipart/form-data for a file`));
    return;
  }
  next();
}

/** Body parsing for the API: JSON up to the limit, a readable content type, nothing else parsed. */
export function configureRequestBodies(app: NestExpressApplication): void {
  app.use(requireReadableBody);
  app.useBodyParser('json', { limit: JSON_BODY_LIMIT_BYTES });
}

