import { ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DomainError, OPEN_DEADLINE_STATES, fromTaipei, parsePeriod } from '../../../libs/domain';
import { MIG_LIMITS } from '../../../libs/domain/mig/mig-limits';
import { SEARCH_STATUSES } from '../../../libs/modules/invoices';
import type { InvoiceSearch, SearchOrder } from '../../../libs/modules/invoices';

export class SearchInvoicesDto {
  @ApiPropertyOptional({ example: '11502', description: '11502, 115/01 ~ 115/02 or 202601' }) @IsOptional() @IsString() period?: string;
  @ApiPropertyOptional({ example: 'AB12345678' }) @IsOptional() @IsString() @MaxLength(20) number?: string;
  @ApiPropertyOptional({ description: 'the order number' }) @IsOptional() @IsString() @MaxLength(60) billingNo?: string;
  @ApiPropertyOptional({ description: "the buyer's BAN (8 digits) or part of the buyer's name" }) @IsOptional() @IsString() @MaxLength(MIG_LIMITS.name.max) buyer?: string;
  @ApiPropertyOptional({ description: `comma-separated, any of: ${SEARCH_STATUSES.join(', ')} (allowance: with a live allowance)` })
  @IsOptional() @IsString() status?: string;
  @ApiPropertyOptional({ description: 'channel codes, comma-separated' }) @IsOptional() @IsString() @MaxLength(400) channel?: string;
  @ApiPropertyOptional({ description: 'comma-separated: on_time, due_soon, overdue, past_legal, done' }) @IsOptional() @IsString() deadlineState?: string;
  @ApiPropertyOptional({ example: '2026-01-01', description: 'issued on or after (Taipei date or ISO instant)' }) @IsOptional() @IsString() from?: string;
  @ApiPropertyOptional({ example: '2026-01-31', description: 'issued on or before (Taipei date) or before (ISO instant)' }) @IsOptional() @IsString() to?: string;
  @ApiPropertyOptional({ enum: ['newest', 'oldest'], default: 'newest', description: 'by issue time' })
  @IsOptional() @IsIn(['newest', 'oldest'], { message: 'sort must be newest or oldest' }) sort?: SearchOrder;
  @ApiPropertyOptional({ description: 'nextCursor of the previous page (of the same sort)' }) @IsOptional() @IsString() @MaxLength(200) cursor?: string;
  @ApiPropertyOptional({ example: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
}

/** Staff search every seller: `seller` narrows it to some. */
export class StaffSearchInvoicesDto extends SearchInvoicesDto {
  @ApiPropertyOptional({ example: '12345675', description: "sellers' BANs, comma-separated; all sellers when left out" })
  @IsOptional() @IsString() @MaxLength(900) seller?: string;
}

/** An export writes every match of the filter, so it takes no page. */
export class ExportInvoicesDto extends OmitType(StaffSearchInvoicesDto, ['cursor', 'limit'] as const) {}

function list(text: string | undefined, field: string, allowed: readonly string[]): string[] | undefined {
  if (!text) return undefined;
  const values = text.split(',').map((s) => s.trim());
  const bad = values.filter((v) => !allowed.includes(v));
  if (bad.length > 0) {
    throw new DomainError('invalid', 'SEARCH.FILTER', `${field}: unknown value ${bad.join(', ')}`, [
      { field, code: 'SEARCH.FILTER', message: `use ${allowed.join(', ')}` },
    ]);
  }
  return values;
}

/** Codes as channels are named (1–32 letters, digits, - or _). */
function channels(text: string | undefined): string[] | undefined {
  if (!text) return undefined;
  const codes = text.split(',').map((s) => s.trim());
  const bad = codes.filter((code) => !/^[A-Za-z0-9_-]{1,32}$/.test(code));
  if (bad.length > 0) {
    throw new DomainError('invalid', 'SEARCH.FILTER', `channel: '${bad[0]}' is not a channel code`, [
      { field: 'channel', code: 'SEARCH.FILTER', message: 'channel codes are 1–32 letters, digits, - or _, comma-separated' },
    ]);
  }
  return codes;
}

/** A date (`2026-01-31`, the whole Taipei day) or an ISO instant; `endOfDay` makes a date bound inclusive. */
function taipeiBound(text: string, field: string, endOfDay: 0 | 1): Date {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const date = day ? fromTaipei(Number(day[1]), Number(day[2]), Number(day[3]) + endOfDay) : new Date(text);
  const realDay = !day || new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]))).getUTCDate() === Number(day[3]);
  // Invoices exist from 1912 (ROC 1) on; a bound outside is a typo, and PostgreSQL could not store it anyway.
  if (Number.isNaN(date.getTime()) || !realDay || date.getUTCFullYear() < 1912 || date.getUTCFullYear() > 9999) {
    throw new DomainError('invalid', 'SEARCH.DATE', `${field}: '${text}' is not a date`, [{ field, code: 'SEARCH.DATE', message: 'use 2026-01-31 or an ISO 8601 instant' }]);
  }
  return date;
}

/** The filter a search query asks for, every value checked: a bad one is a 400 naming its field. */
export function searchFilter(query: Omit<SearchInvoicesDto, 'cursor' | 'limit'> & { cursor?: string; limit?: number }): InvoiceSearch {
  const buyer = query.buyer?.trim();
  const from = query.from === undefined ? undefined : taipeiBound(query.from, 'from', 0);
  const to = query.to === undefined ? undefined : taipeiBound(query.to, 'to', 1);
  if (from && to && from.getTime() >= to.getTime()) {
    throw new DomainError('invalid', 'SEARCH.DATE', `to: ${query.to} is before from: ${query.from}`, [
      { field: 'to', code: 'SEARCH.DATE', message: 'the range ends before it starts' },
    ]);
  }
  return {
    period: query.period === undefined ? undefined : parsePeriod(query.period, 'period').code,
    number: query.number?.trim() || undefined,
    billingNo: query.billingNo?.trim() || undefined,
    buyerBan: buyer && /^\d{8}$/.test(buyer) ? buyer : undefined,
    buyerName: buyer && !/^\d{8}$/.test(buyer) ? buyer : undefined,
    status: list(query.status, 'status', SEARCH_STATUSES),
    channels: channels(query.channel),
    deadlineState: list(query.deadlineState, 'deadlineState', [...OPEN_DEADLINE_STATES, 'done']),
    from,
    to,
    order: query.sort ?? 'newest',
    cursor: query.cursor,
    limit: query.limit ?? 50,
  };
}

/** The sellers' BANs a staff search names (8 digits each), or undefined for all of them. */
export function sellerBans(text: string | undefined): string[] | undefined {
  if (!text?.trim()) return undefined;
  const bans = [...new Set(text.split(',').map((s) => s.trim()))];
  const bad = bans.find((ban) => !/^\d{8}$/.test(ban));
  if (bad !== undefined) {
    throw new DomainError('invalid', 'SEARCH.SELLER', `seller: '${bad}' is not a BAN`, [{ field: 'seller', code: 'SEARCH.SELLER', message: "sellers' BANs, 8 digits each, comma-separated" }]);
  }
  return bans;
}
