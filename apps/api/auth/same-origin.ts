import { ForbiddenException } from '@nestjs/common';
import type { Request } from 'express';

const refuse = (why: string) => new ForbiddenException({ code: 'AUTH.CROSS_ORIGIN', message: `a change made with the dashboard's session must come from the dashboard's own page: ${why}` });

/**
 * OWASP's second wall behind SameSite=Strict: a state-changing request carried by the session cookie must come from
 * the page's own origin. `Origin` (sent by browsers on every POST, PUT, PATCH and DELETE) must name this host; without
 * it, `Sec-Fetch-Site` must say `same-origin`. `required: false` lets a request with neither through (the sign-in,
 * which carries its key in the body, from a script).
 */
export function assertSameOrigin(request: Request, required = true): void {
  const origin = request.headers.origin;
  if (origin !== undefined) {
    let host: string | undefined;
    try {
      host = new URL(origin).host;
    } catch {
      host = undefined;
    }
    if (host === undefined || host !== request.headers.host) throw refuse(`Origin ${origin} is not this service (${request.headers.host ?? 'no Host'})`);
    return;
  }
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined) {
    if (site !== 'same-origin') throw refuse(`Sec-Fetch-Site is ${site}`);
    return;
  }
  if (required) throw refuse('the request names no Origin');
}
