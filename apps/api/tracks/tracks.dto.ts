import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class TracksQueryDto {
  @ApiPropertyOptional({ example: '11502', description: '11502, 115/01 ~ 115/02, or 202601' })
  @IsOptional() @IsString()
  period?: string;
}

export class AssignBookletDto {
  @ApiPropertyOptional({ example: 'web-main', description: 'assign to this channel of the seller' })
  @IsOptional() @IsString() @IsNotEmpty()
  channelCode?: string;

  @ApiPropertyOptional({ example: 'MOMO', description: 'hand to a third party (marketplace, other value-added centre)' })
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(100)
  thirdParty?: string;
}

export class BlankStartDto {
  @ApiProperty({ example: 'KD12340025', description: 'first unused number of a third-party booklet (with or without track)' })
  @Matches(/^([A-Z]{2})?\d{8}$/, { message: 'blankStart must be 8 digits, optionally after the 2-letter track' })
  blankStart!: string;
}
