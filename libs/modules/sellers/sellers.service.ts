import { DataSource } from 'typeorm';
import { DomainError, isValidBan } from '../../domain';
import { CredentialsCipher } from '../../adapters/crypto/credentials-cipher';
import { isUniqueViolation } from '../../infra/persistence/pg-errors';
import { generateApiKey, hashApiKey } from '../../adapters/crypto/api-key-secret';
import { ApiKeysRepository } from './api-keys.repository';
import { ChannelsRepository } from './channels.repository';
import { ApiKeyRecord, ApiKeyRole, ChannelKind, ChannelRecord, IssueTrigger, SellerRecord, StaffRole, StampMime } from './seller.records';
import { checkStampImage } from './stamp-image';
import { SellersRepository } from './sellers.repository';

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
  parallelBooklets?: number;
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
  private readonly sellers: SellersRepository;
  private readonly channels: ChannelsRepository;
  private readonly keys: ApiKeysRepository;

  constructor(
    db: DataSource,
    private readonly cipher: CredentialsCipher,
  ) {
    this.sellers = new SellersRepository(db);
    this.channels = new ChannelsRepository(db);
    this.keys = new ApiKeysRepository(db);
  }

  async createSeller(input: { ban: string; name: string; address?: string }): Promise<SellerRecord> {
    if (!isValidBan(input.ban)) {
      throw new DomainError('invalid', 'SELLER.BAN_INVALID', `BAN '${input.ban}' fails the checksum`, [
        { field: 'ban', code: 'SELLER.BAN_INVALID', message: '統一編號 must be 8 digits with a valid checksum' },
      ]);
    }
    try {
      return await this.sellers.insert({ ban: input.ban, name: input.name.trim(), address: input.address ?? null });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new DomainError('conflict', 'SELLER.EXISTS', `a seller with BAN ${input.ban} already exists`);
      }
      throw error;
    }
  }

  async getSeller(ban: string): Promise<SellerRecord> {
    const seller = await this.sellers.findByBan(ban);
    if (!seller) throw new DomainError('not_found', 'SELLER.NOT_FOUND', `no seller with BAN ${ban}`);
    return seller;
  }

  async listSellers(): Promise<SellerRecord[]> {
    return this.sellers.list();
  }

  /** `blankReporting: false` when another system reports the seller's blank numbers: the monthly run skips it. */
  async updateSeller(
    ban: string,
    changes: { blankReporting?: boolean; name?: string; address?: string | null; poolParallelBooklets?: number; taxRegistrationNumber?: string | null },
  ): Promise<SellerRecord> {
    const seller = await this.getSeller(ban);
    return this.sellers.update(seller.id, {
      blankReporting: changes.blankReporting ?? seller.blankReporting,
      name: changes.name?.trim() ?? seller.name,
      address: changes.address !== undefined ? changes.address : seller.address,
      poolParallelBooklets: changes.poolParallelBooklets ?? seller.poolParallelBooklets,
      taxRegistrationNumber: changes.taxRegistrationNumber !== undefined ? changes.taxRegistrationNumber : seller.taxRegistrationNumber,
    });
  }

  /**
   * Sets (or rotates) the QR code's AES key: the 32 hex digits the MOF derives from the seller's 密碼種子. It is sealed
   * like channel credentials and never returned; only the proof renderer opens it.
   */
  async setQrKey(ban: string, key: string): Promise<SellerRecord> {
    if (!/^[0-9A-Fa-f]{32}$/.test(key)) {
      throw new DomainError('invalid', 'SELLER.QR_KEY_INVALID', 'the QR code AES key is 32 hexadecimal digits (AES-128), as the MOF platform shows it', [
        { field: 'key', code: 'SELLER.QR_KEY_INVALID', message: '32 hexadecimal digits' },
      ]);
    }
    const seller = await this.getSeller(ban);
    return this.sellers.setQrKey(seller.id, this.cipher.seal({ key: key.toUpperCase() }));
  }

  /** The seller's QR code AES key in clear, for rendering a proof; undefined when none is set. */
  async qrKeyOf(sellerId: string): Promise<string | undefined> {
    const sealed = await this.sellers.qrKeySealed(sellerId);
    return sealed ? this.cipher.open<{ key: string }>(sealed).key : undefined;
  }

  /** The stamp (發票章) printed on the A4 proof; its type is read from its bytes. */
  async setStamp(ban: string, image: Buffer): Promise<SellerRecord> {
    const mime = checkStampImage(image);
    const seller = await this.getSeller(ban);
    return this.sellers.setStamp(seller.id, { image, mime });
  }

  async removeStamp(ban: string): Promise<SellerRecord> {
    const seller = await this.getSeller(ban);
    return this.sellers.setStamp(seller.id, null);
  }

  async stampOf(sellerId: string): Promise<{ image: Buffer; mime: StampMime } | undefined> {
    return this.sellers.stampOf(sellerId);
  }

  async listChannels(sellerId: string): Promise<ChannelRecord[]> {
    return this.channels.list(sellerId);
  }

  async getChannel(sellerBan: string, code: string): Promise<ChannelRecord> {
    const seller = await this.getSeller(sellerBan);
    const channel = await this.channels.find(seller.id, code);
    if (!channel) throw new DomainError('not_found', 'CHANNEL.NOT_FOUND', `seller ${sellerBan} has no channel '${code}'`);
    return channel;
  }

  /** The seller's channel of that code, or undefined: for callers that name a missing channel in their own words. */
  async findChannel(sellerId: string, code: string): Promise<ChannelRecord | undefined> {
    return this.channels.find(sellerId, code);
  }

  async createChannel(sellerBan: string, input: NewChannel): Promise<{ channel: ChannelRecord; warnings: string[] }> {
    const seller = await this.getSeller(sellerBan);
    const triggers = [...new Set(input.issueTriggers)];
    const credentials = Object.fromEntries(
      Object.entries(input.credentials ?? {}).filter(([, value]) => typeof value === 'string' && value !== ''),
    );
    try {
      const channel = await this.channels.insert({
        sellerId: seller.id,
        code: input.code,
        kind: input.kind,
        name: input.name.trim(),
        issueTriggers: triggers,
        selfManagedLogistics: input.selfManagedLogistics ?? false,
        parallelBooklets: input.parallelBooklets ?? 1,
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

  /** Changes when the channel issues and who ships; orders already issued are not affected (they are done). */
  async updateChannel(sellerBan: string, code: string, change: { issueTriggers?: IssueTrigger[]; selfManagedLogistics?: boolean; parallelBooklets?: number }): Promise<{ channel: ChannelRecord; warnings: string[] }> {
    const channel = await this.getChannel(sellerBan, code);
    if (change.issueTriggers !== undefined) channel.issueTriggers = [...new Set(change.issueTriggers)];
    if (change.selfManagedLogistics !== undefined) channel.selfManagedLogistics = change.selfManagedLogistics;
    if (change.parallelBooklets !== undefined) channel.parallelBooklets = change.parallelBooklets;
    await this.channels.updateSettings(channel.id, channel);
    return { channel, warnings: channelWarnings(channel) };
  }

  /** The names of the credentials a channel holds; the values themselves never leave the service. */
  credentialFields(channel: ChannelRecord): string[] {
    return channel.credentialsSealed ? Object.keys(this.cipher.open<ChannelCredentials>(channel.credentialsSealed)).sort() : [];
  }

  async createApiKey(input: {
    role: ApiKeyRole;
    name: string;
    sellerId?: string;
    channelId?: string;
  }): Promise<{ key: string; record: ApiKeyRecord }> {
    const { key, hash, prefix } = generateApiKey();
    const record = await this.keys.insert({
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
    const row = await this.keys.findLiveByHash(hashApiKey(key));
    if (!row) return undefined;
    if (row.role !== 'channel') return { role: row.role, keyId: row.id, name: row.name };
    return { role: 'channel', keyId: row.id, sellerId: row.sellerId!, sellerBan: row.sellerBan!, channelId: row.channelId!, channelCode: row.channelCode! };
  }
}

export function channelWarnings(channel: Pick<ChannelRecord, 'issueTriggers' | 'selfManagedLogistics'>): string[] {
  if (channel.selfManagedLogistics && channel.issueTriggers.length === 1 && channel.issueTriggers[0] === 'delivery') {
    return [
      'delivery is the only issue trigger but logistics are self-managed: no carrier will report delivery, so no invoice would be issued; add payment or shipment',
    ];
  }
  return [];
}
