import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ChannelRecord, SellerRecord, SellersService, channelWarnings } from '../../../libs/modules/sellers';
import { DomainError } from '../../../libs/domain';
import { AdminOnly } from '../auth/auth.decorators';
import { CreateApiKeyDto, CreateChannelDto, CreateSellerDto, UpdateChannelDto, UpdateSellerDto } from './sellers.dto';

function sellerView(seller: SellerRecord) {
  return {
    ban: seller.ban, name: seller.name, address: seller.address, blankReporting: seller.blankReporting,
    poolParallelBooklets: seller.poolParallelBooklets, createdAt: seller.createdAt,
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
