import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Put, UploadedFile } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ChannelRecord, SellerRecord, SellersService, channelWarnings } from '../../../libs/modules/sellers';
import { DomainError } from '../../../libs/domain';
import { AdminOnly, StaffOnly } from '../auth/auth.decorators';
import { FileUpload } from '../http/file-upload';
import { requireUpload } from '../http/uploaded-file';
import { CreateApiKeyDto, CreateChannelDto, CreateSellerDto, QrKeyDto, UpdateChannelDto, UpdateSellerDto } from './sellers.dto';

/** A scanned stamp is a few tens of KB; this leaves room for a clean high-resolution scan. */
const MAX_STAMP_BYTES = 1024 * 1024;

function sellerView(seller: SellerRecord) {
  return {
    ban: seller.ban, name: seller.name, address: seller.address, blankReporting: seller.blankReporting,
    poolParallelBooklets: seller.poolParallelBooklets, taxRegistrationNumber: seller.taxRegistrationNumber,
    qrKeySetAt: seller.qrKeySetAt, stamp: seller.hasStamp, createdAt: seller.createdAt,
  };
}

@ApiTags('sellers')
@ApiBearerAuth()
@Controller('api/v1/sellers')
export class SellersController {
  constructor(@Inject(SellersService) private readonly sellers: SellersService) {}

  @Post()
  @AdminOnly()
  async create(@Body() body: CreateSellerDto) {
    return sellerView(await this.sellers.createSeller(body));
  }

  /** Every seller with its channels, for staff screens that pick a seller (a channel key gets 403). */
  @Get()
  @StaffOnly()
  async list() {
    const sellers = await this.sellers.listSellers();
    return {
      sellers: await Promise.all(sellers.map(async (seller) => ({ ...sellerView(seller), channels: (await this.sellers.listChannels(seller.id)).map((c) => this.channelView(c)) }))),
    };
  }

  @Get(':ban')
  async get(@Param('ban') ban: string) {
    const seller = await this.sellers.getSeller(ban);
    const channels = await this.sellers.listChannels(seller.id);
    return { ...sellerView(seller), channels: channels.map((c) => this.channelView(c)) };
  }

  /** `{blankReporting: false}` when another system reports the seller's blank numbers: the monthly run skips it. */
  @Patch(':ban')
  @AdminOnly()
  async update(@Param('ban') ban: string, @Body() body: UpdateSellerDto) {
    return sellerView(await this.sellers.updateSeller(ban, body));
  }

  /** Sets or rotates the QR code's AES key; the answer says when, never what. */
  @Put(':ban/qr-key')
  @AdminOnly()
  async setQrKey(@Param('ban') ban: string, @Body() body: QrKeyDto) {
    return sellerView(await this.sellers.setQrKey(ban, body.key));
  }

  @Put(':ban/stamp')
  @AdminOnly()
  @FileUpload(MAX_STAMP_BYTES, "the seller's stamp, PNG or JPEG")
  async setStamp(@Param('ban') ban: string, @UploadedFile() upload: Express.Multer.File | undefined) {
    return sellerView(await this.sellers.setStamp(ban, requireUpload(upload, "the seller's stamp (PNG or JPEG)").buffer));
  }

  @Delete(':ban/stamp')
  @AdminOnly()
  async removeStamp(@Param('ban') ban: string) {
    return sellerView(await this.sellers.removeStamp(ban));
  }

  @Post(':ban/channels')
  @AdminOnly()
  async createChannel(@Param('ban') ban: string, @Body() body: CreateChannelDto) {
    const { channel } = await this.sellers.createChannel(ban, body);
    return this.channelView(channel);
  }

  /** Triggers and logistics; the answer warns when no invoice could ever be issued (delivery only, self-shipped). */
  @Patch(':ban/channels/:code')
  @AdminOnly()
  async updateChannel(@Param('ban') ban: string, @Param('code') code: string, @Body() body: UpdateChannelDto) {
    if (body.issueTriggers === undefined && body.selfManagedLogistics === undefined && body.parallelBooklets === undefined) {
      throw new DomainError('invalid', 'CHANNEL.NOTHING_TO_CHANGE', 'give issueTriggers, selfManagedLogistics or parallelBooklets', [
        { field: 'issueTriggers', code: 'CHANNEL.NOTHING_TO_CHANGE', message: 'give issueTriggers, selfManagedLogistics or parallelBooklets' },
      ]);
    }
    const { channel } = await this.sellers.updateChannel(ban, code, body);
    return this.channelView(channel);
  }

  @Post(':ban/channels/:code/api-keys')
  @AdminOnly()
  @HttpCode(201)
  async createApiKey(@Param('ban') ban: string, @Param('code') code: string, @Body() body: CreateApiKeyDto) {
    const channel = await this.sellers.getChannel(ban, code);
    const { key, record } = await this.sellers.createApiKey({ role: 'channel', name: body.name, sellerId: channel.sellerId, channelId: channel.id });
    return { id: record.id, name: record.name, channel: code, key, note: 'store this key now: it is not shown again' };
  }

  private channelView(channel: ChannelRecord) {
    return {
      code: channel.code,
      kind: channel.kind,
      name: channel.name,
      issueTriggers: channel.issueTriggers,
      selfManagedLogistics: channel.selfManagedLogistics,
      parallelBooklets: channel.parallelBooklets,
      credentialFields: this.sellers.credentialFields(channel),
      warnings: channelWarnings(channel),
    };
  }
}
