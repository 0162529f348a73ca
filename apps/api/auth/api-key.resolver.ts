import { Inject, Injectable } from '@nestjs/common';
import { sameSecret } from '../../../libs/adapters/crypto/api-key-secret';
import { AppConfig } from '../../../libs/infra/config/config';
import { Principal, SellersService } from '../../../libs/modules/sellers';

export type StaffPrincipal = Exclude<Principal, { role: 'channel' }>;
export const isStaffRole = (role: string): role is StaffPrincipal['role'] => role === 'admin' || role === 'finance' || role === 'viewer';

/** One place that knows which keys exist: the environment's ADMIN_API_KEY and the stored ones. */
@Injectable()
export class ApiKeyResolver {
  constructor(
    @Inject(SellersService) private readonly sellers: SellersService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** `undefined` when the key is unknown or revoked. */
  async resolve(key: string): Promise<Principal | undefined> {
    if (this.config.adminApiKey && sameSecret(key, this.config.adminApiKey)) return { role: 'admin', name: 'ADMIN_API_KEY' };
    return this.sellers.resolveApiKey(key);
  }
}
