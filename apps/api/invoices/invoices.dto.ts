import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Max, MaxLength, Min, ValidateNested,
} from 'class-validator';

/** Shapes only; the e-invoice rules (checksums, carriers, amounts, tax types) are the domain's, with field paths. */
export class BuyerDto {
  @ApiPropertyOptional({ example: '53212539', description: '買方統編; present ⇒ B2B' }) @IsOptional() @IsString() ban?: string;
  @ApiPropertyOptional({ example: '買方股份有限公司' }) @IsOptional() @IsString() @MaxLength(60) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) address?: string;
  @ApiPropertyOptional({ example: 'buyer@example.com', description: 'the buyer is notified here' }) @IsOptional() @IsString() @MaxLength(200) email?: string;
}

export class CarrierDto {
  @ApiProperty({ enum: ['3J0002', 'CQ0001'] }) @IsString() type!: '3J0002' | 'CQ0001';
  @ApiProperty({ example: '/ABC+123' }) @IsString() id!: string;
}

export class ZeroTaxDto {
  @ApiProperty({ enum: ['1', '2'] }) @IsString() customsClearanceMark!: '1' | '2';
  @ApiProperty({ example: '71' }) @IsString() reason!: string;
}

export class InvoiceLineDto {
  @ApiProperty({ example: '商品 A' }) @IsString() description!: string;
  @ApiProperty({ example: 2 }) @IsNumber() quantity!: number;
  @ApiProperty({ example: 100 }) @IsNumber() unitPrice!: number;
  @ApiProperty({ example: 200, description: 'B2C tax included, B2B untaxed' }) @IsNumber() amount!: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(6) unit?: string;
  @ApiPropertyOptional({ enum: ['1', '2', '3'] }) @IsOptional() @IsString() taxType?: '1' | '2' | '3';
  @ApiPropertyOptional() @IsOptional() @IsString() remark?: string;
}

export class IssueInvoiceDto {
  @ApiProperty({ example: 'SO-20260115-0001', description: 'the order number; issuing is idempotent on it' }) @IsString() billingNo!: string;
  @ApiPropertyOptional({ enum: ['07', '08'] }) @IsOptional() @IsIn(['07', '08']) invoiceType?: '07' | '08';
  @ApiProperty({ enum: ['1', '2', '3', '9'] }) @IsString() taxType!: '1' | '2' | '3' | '9';
  @ApiProperty({ type: BuyerDto }) @ValidateNested() @Type(() => BuyerDto) buyer!: BuyerDto;
  @ApiPropertyOptional({ type: CarrierDto }) @IsOptional() @ValidateNested() @Type(() => CarrierDto) carrier?: CarrierDto;
  @ApiPropertyOptional({ example: '168001', description: '愛心碼' }) @IsOptional() @IsString() npoban?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() print?: boolean;
  @ApiPropertyOptional({ type: ZeroTaxDto }) @IsOptional() @ValidateNested() @Type(() => ZeroTaxDto) zeroTax?: ZeroTaxDto;
  @ApiProperty({ type: [InvoiceLineDto] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(9999) @ValidateNested({ each: true }) @Type(() => InvoiceLineDto)
  lines!: InvoiceLineDto[];
  @ApiPropertyOptional() @IsOptional() @IsNumber() totalAmount?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) mainRemark?: string;
}

export class LineDescriptionDto {
  @ApiProperty({ description: '0-based line index' }) @IsInt() @Min(0) index!: number;
  @ApiProperty() @IsString() @MaxLength(500) description!: string;
}

export class ResendDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(60) buyerName?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) buyerAddress?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) mainRemark?: string;
  @ApiPropertyOptional({ type: [LineDescriptionDto] })
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => LineDescriptionDto)
  lineDescriptions?: LineDescriptionDto[];
}

export class DeadlinesQueryDto {
  @ApiPropertyOptional({ enum: ['on_time', 'due_soon', 'overdue', 'past_legal'], description: 'comma-separated' })
  @IsOptional() @IsString() state?: string;
  @ApiPropertyOptional({ example: 8, description: 'due within this many hours' })
  @IsOptional() @Type(() => Number) @IsNumber() @Min(0) @Max(24 * 365) within?: number;
}
