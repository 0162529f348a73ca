import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsISO8601, IsInt, IsNumber, IsOptional, IsPositive, IsString, Matches, Max, MaxLength, Min, ValidateNested,
} from 'class-validator';
import { MIG_LIMITS } from '../../../libs/domain/mig/mig-limits';
import { ORDER_EVENT_TYPES } from '../../../libs/domain/order/order-event';
import type { OrderEventType } from '../../../libs/domain/order/order-event';
import { IssueInvoiceDto } from '../invoices/invoices.dto';

/** The same shape as `POST …/invoices`; the BillingNo is the order number of the path. */
export class OrderContentDto extends OmitType(IssueInvoiceDto, ['billingNo'] as const) {
  @ApiPropertyOptional({ description: 'the order number of the path; leave it out or give the same' }) @IsOptional() @IsString() billingNo?: string;
}

export class ReturnedLineDto {
  @ApiProperty({ example: 1, description: 'the invoice line, 1-based' }) @IsInt() @Min(1) line!: number;
  @ApiProperty({ example: 1 }) @IsNumber() @IsPositive() @Max(1e12) quantity!: number;
}

export class OrderEventDto {
  @ApiProperty({ example: 'evt-000123', description: 'unique per order: a repeat is ignored' })
  @IsString() @Matches(/^[\x21-\x7e]{1,100}$/, { message: 'eventId must be 1–100 printable ASCII characters' })
  eventId!: string;

  @ApiProperty({ enum: ORDER_EVENT_TYPES }) @IsIn(ORDER_EVENT_TYPES) type!: OrderEventType;

  @ApiProperty({ example: '2026-01-15T10:00:00+08:00', description: 'when it happened (ISO 8601 with an offset); orders are decided by it' })
  @IsISO8601({ strict: true, strictSeparator: true }) @Matches(/(Z|[+-]\d{2}:?\d{2})$/, { message: 'occurredAt needs a time zone offset (Z or +08:00)' })
  occurredAt!: string;

  @ApiPropertyOptional({ type: OrderContentDto, description: 'created / updated: the invoice content' })
  @IsOptional() @ValidateNested() @Type(() => OrderContentDto)
  content?: OrderContentDto;

  @ApiPropertyOptional({ type: [ReturnedLineDto], description: 'returned: the lines and quantities given back' })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(9999) @ValidateNested({ each: true }) @Type(() => ReturnedLineDto)
  lines?: ReturnedLineDto[];

  @ApiPropertyOptional({ example: 300, description: 'returned: the amount refunded instead of lines (B2C tax included, B2B untaxed)' })
  @IsOptional() @IsNumber() @IsPositive() @Max(1e12)
  amount?: number;

  @ApiPropertyOptional({ example: '客戶取消', description: 'cancelled / returned: the reason the void or allowance carries, 1–20 characters' })
  @IsOptional() @IsString() @MaxLength(MIG_LIMITS.cancelReason.max)
  reason?: string;
}
