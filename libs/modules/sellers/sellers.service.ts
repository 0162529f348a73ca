import { DataSource } from 'typeorm';
import { DomainError, isValidBan } from '../../domain';
import { ApiKeyEntity, ApiKeyRole, ChannelEntity, StaffRole, ChannelKind, IssueTrigger, SellerEntity } from '../../infra/persistence/entities';
import { CredentialsCipher } from '../../adapters/crypto/credentials-cipher';
import { isUniqueViolation } from '../../infra/persistence/pg-errors';
import { generateApiKey, hashApiKey } from '../../adapters/crypto/api-key-secret';

export interface ChannelCredentials {
  storeCode?: string;
  posCode?: string;
  pid?: string;
  rid?: string;
  pname?: string;
  aesKey?: string;
}

export interface NewChannel {
  code: string;
  kind: ChannelKind;
  name: string;
  issueTriggers: IssueTrigger[];
  selfManagedLogistics?: boolean;
  credentials?: ChannelCredentials;
}

/**
 * Who is calling: staff (admin: everything; finance: tracks, imports, reconciliations; viewer: read-only), named
 * after their key, or an upstream system bound to one channel of one seller.
 */
export type Principal =
  | { role: StaffRole; keyId?: string; name: string }
  | { role: 'channel'; keyId: string; sellerId: string; sellerBan: string; channelId: string; channelCode: string };

export class SellersService {
  constructor(
    private readonly db: DataSource,
    private readonly cipher: CredentialsCipher,
  ) {}

  async createSeller(input: { ban: string; name: string; address?: string }): Promise<SellerEntity> {
    if (!isValidBan(input.ban)) {
      throw new DomainError('invalid', 'SELLER.BAN_INVALID', `BAN '${input.ban}' fails the checksum`, [
        { field: 'ban', code: 'SELLER.BAN_INVALID', message: '統一編號 must be 8 digits with a valid checksum' },
      ]);
    }
    try {
      return await this.db.getRepository(SellerEntity).save({ ban: input.ban, name: input.name.trim(), address: input.address ?? null });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new DomainError('conflict', 'SELLER.EXISTS', `a seller with BAN ${input.ban} already exists`);
      }
      throw error;
    }
  }

  async getSeller(ban: string): Promise<SellerEntity> {
    const seller = await this.db.getRepository(SellerEntity).findOneBy({ ban });
    if (!seller) throw new DomainError('not_found', 'SELLER.NOT_FOUND', `no seller with BAN ${ban}`);
    return seller;
  }

  async listSellers(): Promise<SellerEntity[]> {
    return this.db.getRepository(SellerEntity).find({ order: { ban: 'ASC' } });
  }

  /** `blankReporting: false` when another system reports the seller's blank numbers: the monthly run skips it. */
  async updateSeller(ban: string, changes: { blankReporting?: boolean; name?: string; address?: string | null }): Promise<SellerEntity> {
    const seller = await this.getSeller(ban);
    if (changes.blankReporting !== undefined) seller.blankReporting = changes.blankReporting;
    if (changes.name !== undefined) seller.name = changes.name.trim();
    if (changes.address !== undefined) seller.address = changes.address;
    return this.db.getRepository(SellerEntity).save(seller);
  }

  async listChannels(sellerId: string): Promise<ChannelEntity[]> {
    return this.db.getRepository(ChannelEntity).find({ where: { sellerId }, order: { code: 'ASC' } });
  }

  async getChannel(sellerBan: string, code: string): Promise<ChannelEntity> {
    const seller = await this.getSeller(sellerBan);
    const channel = await this.db.getRepository(ChannelEntity).findOneBy({ sellerId: seller.id, code });
    if (!channel) throw new DomainError('not_found', 'CHANNEL.NOT_FOUND', `seller ${sellerBan} has no channel '${code}'`);
    return channel;
  }

  async createChannel(sellerBan: string, input: NewChannel): Promise<{ channel: ChannelEntity; warnings: string[] }> {
    const seller = await this.getSeller(sellerBan);
    const triggers = [...new Set(input.issueTriggers)];
    const credentials = Object.fromEntries(
      Object.entries(input.credentials ?? {}).filter(([, value]) => typeof value === 'string' && value !== ''),
    );
    try {
      const channel = await this.db.getRepository(ChannelEntity).save({
        sellerId: seller.id,
        code: input.code,
        kind: input.kind,
        name: input.name.trim(),
        issueTriggers: triggers,
        selfManagedLogistics: input.selfManagedLogistics ?? false,
        credentialsSealed: Object.keys(credentials).length > 0 ? this.cipher.seal(credentials) : null,
      });
      return { channel, warnings: channelWarnings(channel) };
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new DomainError('conflict', 'CHANNEL.EXISTS', `seller ${sellerBan} already has a channel '${input.code}'`);
      }
      throw error;
    }
  }

  /** The names of the credentials a channel holds; the values themselves never leave the service. */
  credentialFields(channel: ChannelEntity): string[] {
    return channel.credentialsSealed ? Object.keys(this.cipher.open<ChannelCredentials>(channel.credentialsSealed)).sort() : [];
  }

  async createApiKey(input: {
    role: ApiKeyRole;
    name: string;
    sellerId?: string;
    channelId?: string;
  }): Promise<{ key: string; record: ApiKeyEntity }> {
    const { key, hash, prefix } = generateApiKey();
    const record = await this.db.getRepository(ApiKeyEntity).save({
      keyHash: hash,
      keyPrefix: prefix,
      role: input.role,
      name: input.name,
      sellerId: input.sellerId ?? null,
      channelId: input.channelId ?? null,
    });
    return { key, record };
  }

  async resolveApiKey(key: string): Promise<Principal | undefined> {
    const rows: {
      id: string;
      role: ApiKeyRole;
      name: string;
      seller_id: string | null;
      ban: string | null;
      channel_id: string | null;
      code: string | null;
    }[] = await this.db.query(
      `SELECT k.id, k.role, k.name, k.seller_id, s.ban, k.channel_id, c.code
         FROM api_keys k
         LEFT JOIN sellers s ON s.id = k.seller_id
         LEFT JOIN channels c ON c.id = k.channel_id
        WHERE k.key_hash = $1 AND k.revoked_at IS NULL`,
      [hashApiKey(key)],
    );
    const row = rows[0];
    if (!row) return undefined;
    if (row.role !== 'channel') return { role: row.role, keyId: row.id, name: row.name };
    return {
      role: 'channel',
      keyId: row.id,
      sellerId: row.seller_id!,
      sellerBan: row.ban!,
      channelId: row.channel_id!,
      channelCode: row.code!,
    };
  }
}

export function channelWarnings(channel: Pick<ChannelEntity, 'issueTriggers' | 'selfManagedLogistics'>): string[] {
  if (channel.selfManagedLogistics && channel.issueTriggers.length === 1 && channel.issueTriggers[0] === 'delivery') {
    return [
      'delivery is the only issue trigger but logistics are self-managed: no carrier will report delivery, so no invoice would be issued; add payment or shipment',
    ];
  }
  return [];
}
