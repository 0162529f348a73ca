import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export class StartReconciliationDto {
  @ApiProperty({ example: '11502', description: '11502, 115/01 ~ 115/02, or 202601' })
  @IsString() @MaxLength(20)
  period!: string;
}

export class HoldReconciliationDto {
  @ApiProperty({ example: '等待門市回報作廢發票', description: 'why the run is held; shown to whoever tries to approve it' })
  @IsString() @Matches(/\S/, { message: 'reason must not be blank' }) @MaxLength(200)
  reason!: string;
}

export class BlankNumbersQueryDto {
  @ApiProperty({ example: '11502' }) @IsString() @MaxLength(20)
  period!: string;

  @ApiPropertyOptional({ description: 'keyword: part of a number, a channel, a third party, or a status (unused, skipped, cancelled_blank, third_party)' })
  @IsOptional() @IsString() @MaxLength(60)
  q?: string;

  @ApiPropertyOptional({ default: 100, maximum: 1000 })
  @IsOptional() @Transform(({ value }) => (value === undefined ? undefined : /^\d+$/.test(String(value)) ? Number(value) : NaN)) @IsInt() @Min(1) @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional() @Matches(/^[A-Z]{2}\d{8}$/, { message: 'cursor must be the nextCursor of the previous page (an invoice number)' })
  cursor?: string;
}

export class ReportQueryDto {
  @ApiPropertyOptional({ example: 'AB', description: 'the track; required when the period has more than one E0402' })
  @IsOptional() @Matches(/^[A-Za-z]{2}$/, { message: 'track must be 2 letters' })
  track?: string;
}

export class AlertsQueryDto {
  @ApiPropertyOptional({ example: 'open,acknowledged', description: 'comma-separated: open, acknowledged, resolved' })
  @IsOptional() @Matches(/^(open|acknowledged|resolved)(,(open|acknowledged|resolved))*$/, { message: 'state must be open, acknowledged and/or resolved, comma-separated' })
  state?: string;

  @ApiPropertyOptional({ example: 'reconciliation.mismatch', description: 'comma-separated kinds' })
  @IsOptional() @Matches(/^[a-z_]+\.[a-z_]+(,[a-z_]+\.[a-z_]+)*$/, { message: 'kind must be kinds like invoice.overdue, comma-separated' })
  kind?: string;

  @ApiPropertyOptional({ example: '12345675', description: 'the seller BAN' })
  @IsOptional() @Matches(/^\d{8}$/, { message: 'seller must be an 8-digit BAN' })
  seller?: string;

  @ApiPropertyOptional({ default: 100, maximum: 500 })
  @IsOptional() @Transform(({ value }) => (value === undefined ? undefined : /^\d+$/.test(String(value)) ? Number(value) : NaN)) @IsInt() @Min(1) @Max(500)
  limit?: number;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200)
  cursor?: string;
}

export class CreateStaffKeyDto {
  @ApiProperty({ enum: ['admin', 'finance', 'viewer'] }) @IsIn(['admin', 'finance', 'viewer'])
  role!: 'admin' | 'finance' | 'viewer';

  @ApiProperty({ example: '陳會計', description: 'the person or screen holding the key; actions are recorded under it' })
  @IsString() @Matches(/\S/, { message: 'name must not be blank' }) @MaxLength(100)
  name!: string;
}
