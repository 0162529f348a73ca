import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Request } from 'express';
import { AppConfig } from '../../../libs/infra/config/config';
import { sameSecret } from '../../../libs/adapters/crypto/api-key-secret';
import { Principal, SellersService } from '../../../libs/modules/sellers/sellers.service';
import { ADMIN_ONLY, FINANCE_ACTS, PUBLIC_ROUTE, SCOPED_IN_HANDLER, STAFF_ONLY, assertSameSeller } from './auth.decorators';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every /api/v1 call carries `Authorization: Bearer <key>`. Admin keys reach everything. Finance and viewer keys read
 * every seller; a viewer changes nothing, finance only what is marked `@FinanceActs` (tracks, imports,
 * reconciliations, acknowledging alerts). A channel key reaches only routes of its own seller (the `:ban` in the
 * path) that are neither admin-only nor staff-only.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(SellersService) private readonly sellers: SellersService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const principal = await this.authenticate(request.headers.authorization);
    request.principal = principal;
    if (principal.role === 'admin') return true;
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
    return true;
  }

  private async authenticate(header: string | undefined): Promise<Principal> {
    const key = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
    if (!key) throw new UnauthorizedException({ code: 'AUTH.MISSING', message: 'send Authorization: Bearer <api key>' });
    if (this.config.adminApiKey && sameSecret(key, this.config.adminApiKey)) return { role: 'admin', name: 'ADMIN_API_KEY' };
    const principal = await this.sellers.resolveApiKey(key);
    if (!principal) throw new UnauthorizedException({ code: 'AUTH.INVALID', message: 'unknown or revoked API key' });
    return principal;
  }
}
