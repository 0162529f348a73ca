/** The sellers module's face: sellers, their channels and API keys. */
export { SellersService, channelWarnings } from './sellers.service';
export type { ChannelCredentials, NewChannel, Principal } from './sellers.service';
export { CHANNEL_KINDS, ISSUE_TRIGGERS, STAFF_ROLES } from './seller.records';
export type { ApiKeyRecord, ApiKeyRole, ChannelKind, ChannelRecord, IssueTrigger, SellerRecord, StaffRole, StampMime } from './seller.records';
