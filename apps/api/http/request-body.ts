import { HttpStatus } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

/**
 * The JSON body limit: an invoice of 9,999 lines with every text field at its MIG limit, written in 4-byte UTF-8
 * characters, is about 27 MB; a body above this is refused with 413 before it is parsed.
 */
export const JSON_BODY_LIMIT_BYTES = 32 * 1024 * 1024;

/** No request of this API nests deeper; validating a far deeper body would overflow the stack. */
export const MAX_BODY_DEPTH = 16;

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

/** Keys that reach an object's prototype; the validation pipe would drop them silently rather than refuse them. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** A lone UTF-16 surrogate: JSON lets `\ud800` through, but it has no UTF-8 form, so no message or workflow could carry it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const badText = () => new RequestBodyError(HttpStatus.BAD_REQUEST, 'entity.text.invalid', 'the request body holds text that is not valid Unicode (a lone surrogate)');

/** What is wrong with a parsed body's shape, walked without recursion: too deep, a prototype key, or broken text. */
function shapeProblem(body: unknown): RequestBodyError | undefined {
  const stack: [unknown, number][] = [[body, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value === 'string' && LONE_SURROGATE.test(value)) return badText();
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_BODY_DEPTH) return new RequestBodyError(HttpStatus.BAD_REQUEST, 'entity.too.deep', `the request body nests deeper than ${MAX_BODY_DEPTH} levels`);
    for (const key of Object.keys(value)) {
      if (PROTOTYPE_KEYS.has(key)) return new RequestBodyError(HttpStatus.BAD_REQUEST, 'entity.key.forbidden', `the request body may not contain the key '${key}'`);
      if (LONE_SURROGATE.test(key)) return badText();
      stack.push([(value as Record<string, unknown>)[key], depth + 1]);
    }
  }
  return undefined;
}

function checkShape(request: Request, _response: Response, next: NextFunction): void {
  next(shapeProblem(request.body));
}

/** Body parsing for the API: JSON up to the limit, of a sane shape, in a readable content type; nothing else parsed. */
export function configureRequestBodies(app: NestExpressApplication): void {
  app.use(requireReadableBody);
  app.useBodyParser('json', { limit: JSON_BODY_LIMIT_BYTES });
  app.use(checkShape);
}

