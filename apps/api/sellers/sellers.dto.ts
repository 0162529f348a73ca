import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayNotEmpty, IsArray, IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateIf, ValidateNested,
} from 'class-validator';
import { MIG_LIMITS } from '../../../libs/domain/mig/mig-limits';
import { CHANNEL_KINDS, ISSUE_TRIGGERS } from '../../../libs/modules/sellers';
import type { ChannelKind, IssueTrigger } from '../../../libs/modules/sellers';

export class CreateSellerDto {
  @ApiProperty({ example: '12345675', description: '統一編號 (BAN), 8 digits with a valid checksum' })
  @Matches(/^\d{8}$/, { message: 'ban (統一編號) must be 8 digits' })
  ban!: string;

  @ApiProperty({ example: '範例股份有限公司', description: 'Seller/Name of every message: 1–60 characters' })
  @IsString() @IsNotEmpty() @MaxLength(MIG_LIMITS.name.max)
  name!: string;

  @ApiPropertyOptional({ example: '臺北市中正區重慶南路1段1號', description: 'Seller/Address of every message: at most 100 characters' })
  @IsOptional() @IsString() @MaxLength(MIG_LIMITS.address.max)
  address?: string;
}

export class ChannelCredentialsDto {
  @ApiPropertyOptional({ description: 'store code (商店代號)' }) @IsOptional() @IsString() @MaxLength(100) storeCode?: string;
  @ApiPropertyOptional({ description: 'POS code (POS 代號)' }) @IsOptional() @IsString() @MaxLength(100) posCode?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) pid?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) rid?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) pname?: string;
  @ApiPropertyOptional({ description: 'AES key given by the value-added centre' }) @IsOptional() @IsString() @MaxLength(200) aesKey?: string;
}

export class CreateChannelDto {
  @ApiProperty({ example: 'web-main', description: 'letters, digits, - and _' })
  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'code must be 1–32 letters, digits, - or _' })
  code!: string;

  @ApiProperty({ enum: CHANNEL_KINDS }) @IsIn(CHANNEL_KINDS)
  kind!: ChannelKind;

  @ApiProperty({ example: '官方網站' }) @IsString() @IsNotEmpty() @MaxLength(200)
  name!: string;

  @ApiProperty({ enum: ISSUE_TRIGGERS, isArray: true, description: 'when an order is invoiced; the first reached issues' })
  @IsArray() @ArrayNotEmpty() @IsIn(ISSUE_TRIGGERS, { each: true })
  issueTriggers!: IssueTrigger[];

  @ApiPropertyOptional({ description: 'the seller ships itself, so no carrier reports delivery' })
  @IsOptional() @IsBoolean()
  selfManagedLogistics?: boolean;

  @ApiPropertyOptional({ minimum: 1, maximum: 20, description: 'how many of its booklets may hand out numbers at once (1–20, default 1); each booklet stays strictly in order' })
  @IsOptional() @IsInt() @Min(1) @Max(20)
  parallelBooklets?: number;

  @ApiPropertyOptional({ type: ChannelCredentialsDto, description: 'stored encrypted; never returned' })
  @IsOptional() @ValidateNested() @Type(() => ChannelCredentialsDto)
  credentials?: ChannelCredentialsDto;
}

export class CreateApiKeyDto {
  @ApiProperty({ example: 'shop backend' }) @IsString() @IsNotEmpty() @MaxLength(100)
  name!: string;
}

export class UpdateChannelDto {
  @ApiPropertyOptional({ enum: ISSUE_TRIGGERS, isArray: true, description: 'when orders not yet issued are invoiced; the first reached issues' })
  @IsOptional() @IsArray() @ArrayNotEmpty() @IsIn(ISSUE_TRIGGERS, { each: true })
  issueTriggers?: IssueTrigger[];

  @ApiPropertyOptional({ description: 'the seller ships itself, so no carrier reports delivery' })
  @IsOptional() @IsBoolean()
  selfManagedLogistics?: boolean;

  @ApiPropertyOptional({ minimum: 1, maximum: 20, description: 'how many of its booklets may hand out numbers at once (1–20, default 1); each booklet stays strictly in order' })
  @IsOptional() @IsInt() @Min(1) @Max(20)
  parallelBooklets?: number;
}

export class UpdateSellerDto {
  @ApiPropertyOptional({ description: 'false when another system reports the blank numbers (E0402)' }) @IsOptional() @IsBoolean()
  blankReporting?: boolean;

  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200)
  name?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(300)
  address?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 20, description: 'how many booklets of the unassigned pool may hand out numbers at once (1–20, default 1)' })
  @IsOptional() @IsInt() @Min(1) @Max(20)
  poolParallelBooklets?: number;

  @ApiPropertyOptional({ example: '123456789', nullable: true, description: '稅籍編號 (tax registration number), 9 digits; null clears it' })
  @IsOptional() @ValidateIf((_, value) => value !== null) @Matches(/^\d{9}$/, { message: 'taxRegistrationNumber (稅籍編號) must be 9 digits' })
  taxRegistrationNumber?: string | null;
}

export class QrKeyDto {
  @ApiProperty({ example: 'FE05F029154F6AA67A78B338ED2F6601', description: "the QR code's AES key: 32 hex digits from the MOF's 密碼種子; stored sealed, never returned" })
  @IsString()
  key!: string;
}
