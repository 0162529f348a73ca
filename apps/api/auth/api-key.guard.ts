import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Request } from 'express';
import type { Principal } from '../../../libs/modules/sellers';
import { StaffSessionsService } from '../../../libs/modules/sessions';
import { ApiKeyResolver, isStaffRole } from './api-key.resolver';
import { ADMIN_ONLY, FINANCE_ACTS, FINANCE_READS, OWN_CHANNEL, PUBLIC_ROUTE, SCOPED_IN_HANDLER, STAFF_ONLY, assertSameChannel, assertSameSeller } from './auth.decorators';
import { assertSameOrigin } from './same-origin';
import { sessionToken } from './session-cookie';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every /api/v1 call carries `Authorization: Bearer <key>`, or the dashboard's session cookie (which stands for the
 * staff key it was opened with). Admin keys reach everything. Finance and viewer keys read every seller; a viewer
 * changes nothing, finance only what is marked `@FinanceActs` (tracks, imports, reconciliations, acknowledging
 * alerts). A channel key reaches only routes of its own seller (the `:ban` in the path) that are neither admin-only
 * nor staff-only, and of its own channel (`:code`) where a route says so. A change carried by the cookie must come
 * from the page's own origin (bearer keys are not sent by browsers on their own, so they need no such check).
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
    if (principal.role !== 'finance' && this.reflector.getAllAndOverride<boolean>(FINANCE_READS, targets)) {
      throw new ForbiddenException({ code: 'AUTH.FINANCE_ONLY', message: 'the tax filing is for admin and finance keys only' });
    }
    const financeActs = this.reflector.getAllAndOverride<boolean>(FINANCE_ACTS, targets);
    if (principal.role === 'viewer' || principal.role === 'finance') {
      if (READS.has(request.method)) return true;
      if (principal.role === 'viewer') throw new ForbiddenException({ code: 'AUTH.READ_ONLY', message: 'a viewer key is read-only' });
      if (financeActs) return true;
      throw new ForbiddenException({ code: 'AUTH.NOT_FINANCE', message: 'a finance key acts on tracks, imports and reconciliations only' });
    }
    if (this.reflector.getAllAndOverride<boolean>(STAFF_ONLY, targets)) {
      throw new ForbiddenException({ code: 'AUTH.STAFF_ONLY', message: 'this needs a staff key (admin, finance or viewer)' });
    }
    if (this.reflector.getAllAndOverride<boolean>(ADMIN_ONLY, targets)) {
      throw new ForbiddenException({ code: 'AUTH.ADMIN_ONLY', message: 'this operation needs an admin key' });
    }
    if (this.reflector.getAllAndOverride<boolean>(SCOPED_IN_HANDLER, targets)) return true;
    assertSameSeller(principal, String(request.params.ban ?? ''));
    if (this.reflector.getAllAndOverride<boolean>(OWN_CHANNEL, targets)) assertSameChannel(principal, String(request.params.code ?? ''));
    return true;
  }

  private async authenticate(request: Request): Promise<Principal> {
    const header = request.headers.authorization;
    if (!header) {
      const token = sessionToken(request);
      if (token) {
        if (!READS.has(request.method)) assertSameOrigin(request);
        return this.fromSession(token);
      }
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
    if (!isStaffRole(session.role)) {
      throw new UnauthorizedException({ code: 'AUTH.SESSION_ENDED', message: 'the key of this session no longer has a staff role; sign in again' });
    }
    return { role: session.role, keyId: session.apiKeyId ?? undefined, name: session.name };
  }
}
