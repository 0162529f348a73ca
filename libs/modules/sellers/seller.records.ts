/** Staff roles (admin, finance, viewer) reach every seller; a channel key only its own seller and channel. */
export type ApiKeyRole = 'admin' | 'finance' | 'viewer' | 'channel';
export type StaffRole = Exclude<ApiKeyRole, 'channel'>;
export const STAFF_ROLES: readonly StaffRole[] = ['admin', 'finance', 'viewer'];

export const CHANNEL_KINDS = ['web', 'pos', 'marketplace', 'third_party'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];
export const ISSUE_TRIGGERS = ['payment', 'shipment', 'delivery'] as const;
export type IssueTrigger = (typeof ISSUE_TRIGGERS)[number];

export interface SellerRecord {
  id: string;
  ban: string;
  name: string;
  address: string | null;
  /** false when another system reports the seller's blank numbers: the monthly run skips it. */
  blankReporting: boolean;
  /** How many of the unassigned pool's booklets may hand out numbers at once (1: one allocation at a time). */
  poolParallelBooklets: number;
  /** 稅籍編號, 9 digits: the media file of the period's tax filing carries it. */
  taxRegistrationNumber: string | null;
  /** When the QR code's AES key was last set; the key itself never leaves the service. */
  qrKeySetAt: Date | null;
  /** Whether the seller's stamp (發票章) is on file for the A4 proof. */
  hasStamp: boolean;
  createdAt: Date;
}

export type StampMime = 'image/png' | 'image/jpeg';

export interface ChannelRecord {
  id: string;
  sellerId: string;
  code: string;
  kind: ChannelKind;
  name: string;
  issueTriggers: IssueTrigger[];
  selfManagedLogistics: boolean;
  /** How many of the channel's booklets may hand out numbers at once (1: one allocation at a time). */
  parallelBooklets: number;
  /** AES-256-GCM sealed JSON of the channel's credentials; never stored or logged in clear. */
  credentialsSealed: Buffer | null;
  createdAt: Date;
}

export interface ApiKeyRecord {
  id: string;
  /** SHA-256 of the key: keys are 256-bit random, so a plain hash cannot be brute-forced. */
  keyHash: string;
  keyPrefix: string;
  role: ApiKeyRole;
  sellerId: string | null;
  channelId: string | null;
  name: string;
  createdAt: Date;
  revokedAt: Date | null;
}
