import { Body, Controller, Delete, ForbiddenException, Get, HttpCode, HttpException, HttpStatus, Inject, Post, Req, Res, UnauthorizedException } from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import type { Request, Response } from 'express';
import { AppConfig } from '../../../libs/infra/config/config';
import { SESSION_TTL_MS, SIGN_IN_ATTEMPTS, SignInThrottle, StaffSessionsService } from '../../../libs/modules/sessions';
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
 * Dashboard sign-in: the key is pasted once, the browser keeps only an HttpOnly, SameSite=Strict cookie. Wrong keys
 * are throttled per client address (the socket's: behind a proxy every client would be one address, so put the
 * throttle's counterpart in the proxy too).
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
  async signIn(@Body() body: SignInDto, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    assertSameOrigin(request, false);
    const address = request.ip ?? request.socket.remoteAddress ?? 'unknown';
    const wait = await this.throttle.waitFor(address);
    if (wait > 0) {
      await this.throttle.refused(address, 'throttled');
      response.setHeader('Retry-After', String(wait));
      throw new HttpException(
        { code: 'AUTH.TOO_MANY_SIGN_INS', message: `${SIGN_IN_ATTEMPTS} wrong keys from this address within a minute: try again in ${wait} s` },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    const principal = await this.keys.resolve(body.apiKey.trim());
    if (!principal) {
      await this.throttle.refused(address, 'invalid_key');
      throw new UnauthorizedException({ code: 'AUTH.INVALID', message: 'unknown or revoked API key' });
    }
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
