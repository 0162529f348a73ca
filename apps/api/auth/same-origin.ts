import { ForbiddenException } from '@nestjs/common';
import type { Request } from 'express';

const refuse = (why: string) => new ForbiddenException({ code: 'AUTH.CROSS_ORIGIN', message: `a change made with the dashboard's session must come from the dashboard's own page: ${why}` });

/**
 * The host `origin` names and the host the request was sent to (`Host`, or a trusted proxy's `X-Forwarded-Host`),
 * both as a URL spells them — lower case, a default port left out — or undefined where either is unreadable. Hosts
 * rather than whole origins: behind a proxy that ends TLS the app sees http while the page was https.
 */
function hosts(origin: string, request: Request): [string, string] | undefined {
  try {
    const named = new URL(origin);
    return [named.host, new URL(`${named.protocol}//${request.host}`).host];
  } catch {
    return undefined;
  }
}

/**
 * OWASP's second wall behind SameSite=Strict: a state-changing request carried by the session cookie must come from
 * the page's own origin. `Origin` (sent by browsers on every POST, PUT, PATCH and DELETE) must name this host; without
 * it, `Sec-Fetch-Site` must say `same-origin`. `required: false` lets a request with neither through (the sign-in,
 * which carries its key in the body, from a script).
 */
export function assertSameOrigin(request: Request, required = true): void {
  const origin = request.headers.origin;
  if (origin !== undefined) {
    const [named, own] = hosts(origin, request) ?? [];
    if (named === undefined || named !== own) throw refuse(`Origin ${origin} is not this service (${request.host ?? 'no Host'})`);
    return;
  }
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined) {
    if (site !== 'same-origin') throw refuse(`Sec-Fetch-Site is ${site}`);
    return;
  }
  if (required) throw refuse('the request names neither Origin nor Sec-Fetch-Site');
}
