import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { DomainError } from '../../../libs/domain';

/** Where a NUL byte sits in a value: its path (`buyer.name`, `lines[2].description`), or undefined. */
function nulIn(value: unknown, path: string): string | undefined {
  const stack: [unknown, string][] = [[value, path]];
  while (stack.length > 0) {
    const [item, at] = stack.pop()!;
    if (typeof item === 'string') {
      if (item.includes('\u0000')) return at;
    } else if (Array.isArray(item)) {
      item.forEach((child, i) => stack.push([child, `${at}[${i}]`]));
    } else if (item !== null && typeof item === 'object') {
      for (const [key, child] of Object.entries(item)) {
        if (key.includes('\u0000')) return `${at}.${key.split('\u0000').join('\\0')}`;
        stack.push([child, `${at}.${key}`]);
      }
    }
  }
  return undefined;
}

/** A 400 naming where a NUL byte sits in `value` (`body.buyer.name`), if one does. */
export function refuseNulByte(value: unknown, where: string): void {
  const field = nulIn(value, where);
  if (field) {
    throw new DomainError('invalid', 'REQUEST.NUL_BYTE', `${field} holds a NUL byte (\\0), which no text here may contain`, [
      { field, code: 'REQUEST.NUL_BYTE', message: 'contains a NUL byte' },
    ]);
  }
}

/**
 * A NUL byte (`\0`, `%00`) is a client error wherever it comes: PostgreSQL's text refuses it, so a path parameter, a
 * query parameter or a JSON string carrying one would reach the database as a 500. One guard, before every other,
 * for every route: 400 naming where it was. (A multipart body is read after the guards: the upload interceptor checks
 * its text fields; a header cannot carry one — Node's parser refuses it, answered in malformed-request.ts.)
 */
@Injectable()
export class NulByteGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    refuseNulByte(request.params, 'path');
    refuseNulByte(request.query, 'query');
    refuseNulByte(request.body, 'body');
    return true;
  }
}
