import { Body, Controller, Delete, ForbiddenException, Get, HttpCode, HttpException, HttpStatus, Inject, Post, Req, Res, UnauthorizedException } from '@nestjs/common';
import { ApiForbiddenResponse, ApiProperty, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import type { Request, Response } from 'express';
import { AppConfig } from '../../../libs/infra/config/config';
import { SESSION_TTL_MS, SIGN_IN_ATTEMPTS, SIGN_IN_WINDOW_MS, SignInThrottle, StaffSessionsService } from '../../../libs/modules/sessions';
import { ApiKeyResolver } from '../auth/api-key.resolver';
import type { StaffPrincipal } from '../auth/api-key.resolver';
import { CurrentPrincipal, Public, StaffOnly } from '../auth/auth.decorators';
import { assertSameOrigin } from '../auth/same-origin';
import { clearSessionCookie, sessionSetCookie, sessionToken } from '../auth/session-cookie';

export class SignInDto {
  @ApiProperty({ description: 'a staff API key (admin, finance or viewer); exchanged for a session cookie, never stored' })
  @IsString() @IsNotEmpty() @MaxLength(200)
  apiKey!: string;
}

/**
 * The address the sign-in throttle counts by: the socket's peer, or — only when TRUST_PROXY names the proxies in
 * front — the client `X-Forwarded-For` names beyond them (Express's `req.ip`). An IPv4 client seen over IPv6
 * (`::ffff:10.0.0.7`) is counted by its IPv4 address.
 */
function clientAddress(request: Request): string {
  const address = request.ip ?? request.socket.remoteAddress ?? 'unknown';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice('::ffff:'.length) : address;
}

/**
 * Dashboard sign-in: the key is pasted once, the browser keeps only an HttpOnly, SameSite=Strict cookie. Wrong keys
 * are throttled per client address (see clientAddress).
 */
@ApiTags('dashboard')
@Controller('api/v1/session')
export class SessionController {
  constructor(
    @Inject(ApiKeyResolver) private readonly keys: ApiKeyResolver,
    @Inject(StaffSessionsService) private readonly sessions: StaffSessionsService,
    @Inject(SignInThrottle) private readonly throttle: SignInThrottle,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /**
   * The Temporal UI's workflow list in this service's namespace, which the page links each workflow to (by a
   * `WorkflowId` query); null when TEMPORAL_UI_URL is not set, and the page shows no such links.
   */
  private temporalUi(): string | null {
    const { uiUrl, namespace } = this.config.temporal;
    return uiUrl ? `${uiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows` : null;
  }

  @Post()
  @Public()
  @ApiUnauthorizedResponse({ description: 'AUTH.INVALID: unknown or revoked key (counted by the throttle)' })
  @ApiForbiddenResponse({ description: 'AUTH.STAFF_ONLY: a channel key; AUTH.CROSS_ORIGIN: Origin names another site' })
  @ApiTooManyRequestsResponse({
    description: `AUTH.TOO_MANY_SIGN_INS: ${SIGN_IN_ATTEMPTS} wrong keys from this client address within ${SIGN_IN_WINDOW_MS / 1000} s; even a right key waits Retry-After seconds`,
    headers: { 'Retry-After': { description: 'seconds until the address may sign in again', schema: { type: 'integer' } } },
  })
  async signIn(@Body() body: SignInDto, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    assertSameOrigin(request, false);
    const attempt = await this.throttle.attempt(clientAddress(request));
    if (!attempt.admitted) {
      response.setHeader('Retry-After', String(attempt.retryAfterSeconds));
      throw new HttpException(
        { code: 'AUTH.TOO_MANY_SIGN_INS', message: `${SIGN_IN_ATTEMPTS} wrong keys from this address within a minute: try again in ${attempt.retryAfterSeconds} s` },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    const principal = await this.keys.resolve(body.apiKey.trim());
    if (!principal) throw new UnauthorizedException({ code: 'AUTH.INVALID', message: 'unknown or revoked API key' });
    await this.throttle.keyWasRight(attempt);
    if (principal.role === 'channel') {
      throw new ForbiddenException({ code: 'AUTH.STAFF_ONLY', message: 'the dashboard needs a staff key (admin, finance or viewer), not a channel key' });
    }
    const { token, session } = await this.sessions.open({ apiKeyId: principal.keyId ?? null, role: principal.role, name: principal.name });
    response.setHeader('Set-Cookie', sessionSetCookie(token, SESSION_TTL_MS / 1000, request.secure));
    return { role: session.role, name: session.name, expiresAt: session.expiresAt, temporalUi: this.temporalUi() };
  }

  @Get()
  @StaffOnly()
  current(@CurrentPrincipal() principal: StaffPrincipal) {
    return { role: principal.role, name: principal.name, temporalUi: this.temporalUi() };
  }

  /** Sign-out ends the session in the database, so a copied cookie is worthless afterwards. */
  @Delete()
  @Public()
  @HttpCode(204)
  async signOut(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<void> {
    assertSameOrigin(request, false);
    const token = sessionToken(request);
    if (token) await this.sessions.end(token);
    response.setHeader('Set-Cookie', clearSessionCookie(request.secure));
  }
}
