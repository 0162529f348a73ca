import { parseCookie, stringifySetCookie } from 'cookie';
import type { Request } from 'express';

export const SESSION_COOKIE = 'einv_session';

export function sessionToken(request: Request): string | undefined {
  const header = request.headers.cookie;
  return header ? parseCookie(header)[SESSION_COOKIE] || undefined : undefined;
}

/**
 * HttpOnly so no script (ours or injected) can read it; SameSite=Strict so no other site's page can send it along,
 * which is what keeps cookie-authenticated POSTs (void, acknowledge) safe from cross-site requests.
 */
export function sessionSetCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  return stringifySetCookie({ name: SESSION_COOKIE, value: token, httpOnly: true, sameSite: 'strict', path: '/', maxAge: maxAgeSeconds, secure });
}

export function clearSessionCookie(secure: boolean): string {
  return stringifySetCookie({ name: SESSION_COOKIE, value: '', httpOnly: true, sameSite: 'strict', path: '/', maxAge: 0, secure });
}
