import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidateNested,
} from 'class-validator';
import { MIG_LIMITS } from '../../../libs/domain/mig/mig-limits';

/** Far above any invoice; beyond it numbers stop being exact money. */
const MAX_AMOUNT = 1e12;
const L = MIG_LIMITS;

/** Shapes only; the e-invoice rules (checksums, carriers, amounts, tax types) are the domain's, with field paths. */
export class BuyerDto {
  @ApiPropertyOptional({ example: '53212539', description: '買方統編; present ⇒ B2B' }) @IsOptional() @IsString() ban?: string;
  @ApiPropertyOptional({ example: '買方股份有限公司' }) @IsOptional() @IsString() @MaxLength(L.name.max) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(L.address.max) address?: string;
  @ApiPropertyOptional({ example: 'buyer@example.com', description: 'the buyer is notified here' }) @IsOptional() @IsString() @MaxLength(L.emailAddress.max) email?: string;
}

export class CarrierDto {
  @ApiProperty({ enum: ['3J0002', 'CQ0001'] }) @IsString() type!: '3J0002' | 'CQ0001';
  @ApiProperty({ example: '/ABC+123' }) @IsString() @MaxLength(L.carrierId.max) id!: string;
}

export class ZeroTaxDto {
  @ApiProperty({ enum: ['1', '2'] }) @IsString() customsClearanceMark!: '1' | '2';
  @ApiProperty({ example: '71' }) @IsString() reason!: string;
}

export class InvoiceLineDto {
  @ApiProperty({ example: '商品 A' }) @IsString() @MaxLength(L.description.max) description!: string;
  @ApiProperty({ example: 2 }) @IsNumber() @Max(MAX_AMOUNT) quantity!: number;
  @ApiProperty({ example: 100 }) @IsNumber() @Max(MAX_AMOUNT) unitPrice!: number;
  @ApiProperty({ example: 200, description: 'B2C tax included, B2B untaxed' }) @IsNumber() @Max(MAX_AMOUNT) amount!: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(L.unit.max) unit?: string;
  @ApiPropertyOptional({ enum: ['1', '2', '3'] }) @IsOptional() @IsString() taxType?: '1' | '2' | '3';
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(L.lineRemark.max) remark?: string;
}

export class IssueInvoiceDto {
  @ApiProperty({ example: 'SO-20260115-0001', description: 'the order number; issuing is idempotent on it' }) @IsString() billingNo!: string;
  @ApiPropertyOptional({ enum: ['07', '08'] }) @IsOptional() @IsIn(['07', '08']) invoiceType?: '07' | '08';
  @ApiProperty({ enum: ['1', '2', '3', '9'] }) @IsString() taxType!: '1' | '2' | '3' | '9';
  @ApiProperty({ type: BuyerDto }) @ValidateNested() @Type(() => BuyerDto) buyer!: BuyerDto;
  @ApiPropertyOptional({ type: CarrierDto }) @IsOptional() @ValidateNested() @Type(() => CarrierDto) carrier?: CarrierDto;
  @ApiPropertyOptional({ example: '168001', description: '愛心碼' }) @IsOptional() @IsString() @MaxLength(L.npoban.max) npoban?: string;
  @ApiPropertyOptional({ description: 'PrintMark Y; defaults to true for a buyer with a BAN and no carrier, where false is refused' })
  @IsOptional() @IsBoolean() print?: boolean;
  @ApiPropertyOptional({ type: ZeroTaxDto }) @IsOptional() @ValidateNested() @Type(() => ZeroTaxDto) zeroTax?: ZeroTaxDto;
  @ApiProperty({ type: [InvoiceLineDto] })
  @IsArray() @ArrayMinSize(L.items.min) @ArrayMaxSize(L.items.max) @ValidateNested({ each: true }) @Type(() => InvoiceLineDto)
  lines!: InvoiceLineDto[];
  @ApiPropertyOptional() @IsOptional() @IsNumber() totalAmount?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(L.mainRemark.max) mainRemark?: string;
}

export class LineDescriptionDto {
  @ApiProperty({ description: '0-based line index' }) @IsInt() @Min(0) index!: number;
  @ApiProperty() @IsString() @MinLength(L.description.min) @MaxLength(L.description.max) description!: string;
}

export class ResendDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(L.name.min) @MaxLength(L.name.max) buyerName?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(L.address.max) buyerAddress?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(L.mainRemark.max) mainRemark?: string;
  @ApiPropertyOptional({ type: [LineDescriptionDto] })
  @IsOptional() @IsArray() @ArrayMaxSize(L.items.max) @ValidateNested({ each: true }) @Type(() => LineDescriptionDto)
  lineDescriptions?: LineDescriptionDto[];
}

export class DeadlinesQueryDto {
  @ApiPropertyOptional({ enum: ['on_time', 'due_soon', 'overdue', 'past_legal'], description: 'comma-separated' })
  @IsOptional() @IsString() state?: string;
  @ApiPropertyOptional({ example: 8, description: 'due within this many hours' })
  @IsOptional() @Type(() => Number) @IsNumber() @Min(0) @Max(24 * 365) within?: number;
}

export class VoidInvoiceDto {
  @ApiProperty({ example: '訂單取消', description: 'CancelReason, 1–20 characters' }) @IsString() @MinLength(L.cancelReason.min) @MaxLength(L.cancelReason.max) reason!: string;
  @ApiPropertyOptional({ enum: ['void', 'cancel_blank'], description: 'void (作廢, F0501) or cancel_blank (空白作廢) for an invoice never accepted' })
  @IsOptional() @IsIn(['void', 'cancel_blank']) mode?: 'void' | 'cancel_blank';
  @ApiPropertyOptional({ description: '專案作廢核准文號, needed after the filing deadline' }) @IsOptional() @IsString() @MaxLength(L.returnTaxDocumentNumber.max) approvalNumber?: string;
}

export class AllowanceLineDto {
  @ApiProperty({ example: 1, description: 'the invoice line, 1-based' }) @IsInt() @Min(1) line!: number;
  @ApiPropertyOptional({ example: 1 }) @IsOptional() @IsNumber() @Max(MAX_AMOUNT) quantity?: number;
  @ApiProperty({ example: 100, description: 'in the invoice terms: B2C tax included, B2B untaxed' }) @IsNumber() @Min(0.01) @Max(MAX_AMOUNT) amount!: number;
}

export class AllowanceDto {
  @ApiPropertyOptional({ description: 'allow everything that remains on the invoice' }) @IsOptional() @IsBoolean() whole?: boolean;
  @ApiPropertyOptional({ type: [AllowanceLineDto] })
  @IsOptional() @IsArray() @ArrayMaxSize(L.items.max) @ValidateNested({ each: true }) @Type(() => AllowanceLineDto)
  lines?: AllowanceLineDto[];
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) reason?: string;
}

export class VoidAllowanceDto {
  @ApiProperty({ example: '退貨取消', description: '1–20 characters' }) @IsString() @MinLength(L.cancelReason.min) @MaxLength(L.cancelReason.max) reason!: string;
}
