import { SetMetadata, createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Principal } from '../../../libs/sellers/sellers.service';

export const PUBLIC_ROUTE = 'einv:public';
export const ADMIN_ONLY = 'einv:admin-only';

/** No API key needed (health, docs). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);
/** Staff and automation only; channel keys get 403. */
export const AdminOnly = () => SetMetadata(ADMIN_ONLY, true);

export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal => context.switchToHttp().getRequest().principal,
);
