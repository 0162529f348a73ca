import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Request } from 'express';
import type { Principal } from '../../../libs/modules/sellers/sellers.service';
import { StaffSessionsService } from '../../../libs/modules/sessions/staff-sessions.service';
import { ApiKeyResolver } from './api-key.resolver';
import { ADMIN_ONLY, PUBLIC_ROUTE, SCOPED_IN_HANDLER, STAFF_ONLY, assertSameSeller } from './auth.decorators';
import { sessionToken } from './session-cookie';

/**
 * Every /api/v1 call carries `Authorization: Bearer <key>`, or the dashboard's session cookie. Admin keys reach
 * everything; a channel key reaches only routes of its own seller (the `:ban` in the path) that are not admin-only.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(ApiKeyResolver) private readonly keys: ApiKeyResolver,
    @Inject(StaffSessionsService) private readonly sessions: StaffSessionsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const principal = await this.authenticate(request);
    request.principal = principal;
    if (principal.role === 'admin') return true;
    if (this.reflector.getAllAndOverride<boolean>(ADMIN_ONLY, targets)) {
      throw new ForbiddenException({ code: 'AUTH.ADMIN_ONLY', message: 'this operation needs an admin key' });
    }
    if (this.reflector.getAllAndOverride<boolean>(STAFF_ONLY, targets)) {
      throw new ForbiddenException({ code: 'AUTH.STAFF_ONLY', message: 'this needs a staff key (admin, finance or viewer), not a channel key' });
    }
    if (this.reflector.getAllAndOverride<boolean>(SCOPED_IN_HANDLER, targets)) return true;
    assertSameSeller(principal, String(request.params.ban ?? ''));
    return true;
  }

  private async authenticate(request: Request): Promise<Principal> {
    const header = request.headers.authorization;
    if (!header) {
      const token = sessionToken(request);
      if (token) return this.fromSession(token);
    }
    const key = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
    if (!key) throw new UnauthorizedException({ code: 'AUTH.MISSING', message: 'send Authorization: Bearer <api key>, or sign in on the dashboard' });
    const principal = await this.keys.resolve(key);
    if (!principal) throw new UnauthorizedException({ code: 'AUTH.INVALID', message: 'unknown or revoked API key' });
    return principal;
  }

  private async fromSession(token: string): Promise<Principal> {
    const session = await this.sessions.resolve(token);
    if (!session) throw new UnauthorizedException({ code: 'AUTH.SESSION_ENDED', message: 'the session has ended or expired; sign in again' });
    if (session.role === 'admin') return session.apiKeyId ? { role: 'admin', keyId: session.apiKeyId } : { role: 'admin' };
    throw new UnauthorizedException({ code: 'AUTH.SESSION_ENDED', message: 'the key of this session no longer has a staff role; sign in again' });
  }
}
