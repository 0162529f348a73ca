import { AllocatedNumberEntity } from './allocated-number.entity';
import { ApiKeyEntity } from './api-key.entity';
import { BookletEntity } from './booklet.entity';
import { ChannelEntity } from './channel.entity';
import { SellerEntity } from './seller.entity';
import { TrackRangeEntity } from './track-range.entity';

export * from './allocated-number.entity';
export * from './api-key.entity';
export * from './booklet.entity';
export * from './channel.entity';
export * from './seller.entity';
export * from './track-range.entity';

export const ENTITIES = [SellerEntity, ChannelEntity, ApiKeyEntity, TrackRangeEntity, BookletEntity, AllocatedNumberEntity];
