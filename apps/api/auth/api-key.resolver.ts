import { Inject, Injectable } from '@nestjs/common';
import { sameSecret } from '../../../libs/adapters/crypto/api-key-secret';
import { AppConfig } from '../../../libs/infra/config/config';
import { Principal, SellersService } from '../../../libs/modules/sellers/sellers.service';

/** One place that knows which keys exist: the environment's ADMIN_API_KEY and the stored ones. */
@Injectable()
export class ApiKeyResolver {
  constructor(
    @Inject(SellersService) private readonly sellers: SellersService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** `undefined` when the key is unknown or revoked. */
  async resolve(key: string): Promise<Principal | undefined> {
    if (this.config.adminApiKey && sameSecret(key, this.config.adminApiKey)) return { role: 'admin' };
    return this.sellers.resolveApiKey(key);
  }

  async nameOf(principal: Principal): Promise<string> {
    if (!principal.keyId) return 'ADMIN_API_KEY';
    return (await this.sellers.apiKeyName(principal.keyId)) ?? principal.keyId;
  }
}
