import { ExecutionContext, ForbiddenException, SetMetadata, createParamDecorator } from '@nestjs/common';
import { Principal } from '../../../libs/modules/sellers';

export const PUBLIC_ROUTE = 'einv:public';
export const ADMIN_ONLY = 'einv:admin-only';
export const SCOPED_IN_HANDLER = 'einv:scoped-in-handler';
export const OWN_CHANNEL = 'einv:own-channel';
export const FINANCE_ACTS = 'einv:finance-acts';
export const STAFF_ONLY = 'einv:staff-only';
export const FINANCE_READS = 'einv:finance-reads';

/** No API key needed (health, docs). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);
/** The path names no seller (e.g. /imports/{id}); the handler checks the resource belongs to the caller's seller. */
export const ScopedInHandler = () => SetMetadata(SCOPED_IN_HANDLER, true);
/** Staff and automation only; channel keys get 403. */
export const AdminOnly = () => SetMetadata(ADMIN_ONLY, true);
/** A change finance may make too (tracks, imports, reconciliations); other changes are admin's or a channel's. */
export const FinanceActs = () => SetMetadata(FINANCE_ACTS, true);
/** What only admin and finance may even read (the tax filing): viewers and channel keys get 403. */
export const FinanceReads = () => SetMetadata(FINANCE_READS, true);
/** Staff keys only (admin, finance, viewer): channel keys get 403 even for their own seller. */
export const StaffOnly = () => SetMetadata(STAFF_ONLY, true);

/** The path's `:code` is a channel: a channel key reaches only its own, even among its seller's channels. */
export const OwnChannel = () => SetMetadata(OWN_CHANNEL, true);

export function assertSameSeller(principal: Principal, sellerBan: string): void {
  if (principal.role === 'channel' && principal.sellerBan !== sellerBan) {
    throw new ForbiddenException({ code: 'AUTH.OTHER_SELLER', message: "a channel key only reaches its own seller's data" });
  }
}

export function assertSameChannel(principal: Principal, channelCode: string): void {
  if (principal.role === 'channel' && principal.channelCode !== channelCode) {
    throw new ForbiddenException({ code: 'AUTH.OTHER_CHANNEL', message: "a channel key only reaches its own channel's orders" });
  }
}
/** The name an action is recorded under: the staff key's name, or the channel's code. */
export const actorOf = (principal: Principal): string => (principal.role === 'channel' ? `channel:${principal.channelCode}` : principal.name);

export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal => context.switchToHttp().getRequest().principal,
);
