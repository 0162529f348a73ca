import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError, OPEN_DEADLINE_STATES, fromTaipei, parsePeriod } from '../../../libs/domain';
import { InvoiceOperations, InvoicesService } from '../../../libs/modules/invoices';
import type { Principal } from '../../../libs/modules/sellers';
import { SellersService } from '../../../libs/modules/sellers';
import { AdminOnly, CurrentPrincipal } from '../auth/auth.decorators';
import { invoiceView } from './invoice.view';
import { AllowanceDto, DeadlinesQueryDto, IssueInvoiceDto, ResendDto, SearchInvoicesDto, VoidAllowanceDto, VoidInvoiceDto } from './invoices.dto';

const INVOICE_STATUSES = ['issued', 'uploading', 'sent', 'accepted', 'rejected', 'voided', 'cancelled_blank'];

/** Without a key every request is its own; with one, a repeat is recognised. */
function requestKey(header: string | undefined): string {
  const key = header?.trim();
  if (key && key.length > 200) {
    throw new DomainError('invalid', 'IDEMPOTENCY_KEY.TOO_LONG', 'Idempotency-Key may have at most 200 characters', [
      { field: 'Idempotency-Key', code: 'IDEMPOTENCY_KEY.TOO_LONG', message: 'at most 200 characters' },
    ]);
  }
  return key || randomUUID();
}

function list(text: string | undefined, field: string, allowed: string[]): string[] | undefined {
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

function parseStates(text: string | undefined): string[] | undefined {
  if (!text) return undefined;
  const states = text.split(',').map((s) => s.trim());
  const bad = states.filter((s) => !(OPEN_DEADLINE_STATES as readonly string[]).includes(s));
  if (bad.length > 0) {
    throw new DomainError('invalid', 'DEADLINES.STATE', `unknown deadline state ${bad.join(', ')}`, [
      { field: 'state', code: 'DEADLINES.STATE', message: `use ${OPEN_DEADLINE_STATES.join(', ')}` },
    ]);
  }
  return states;
}

@ApiTags('invoices (EINV111, Einv120)')
@ApiBearerAuth()
@Controller('api/v1')
export class InvoicesController {
  constructor(
    @Inject(SellersService) private readonly sellers: SellersService,
    @Inject(InvoicesService) private readonly invoices: InvoicesService,
    @Inject(InvoiceOperations) private readonly operations: InvoiceOperations,
  ) {}

  /** 201 for a new invoice, 200 when the same order was issued before (idempotent on BillingNo). */
  @Post('sellers/:ban/invoices')
  async issue(@Param('ban') ban: string, @Body() body: IssueInvoiceDto, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) response: Response) {
    const seller = await this.sellers.getSeller(ban);
    const channelId = principal.role === 'channel' ? principal.channelId : null;
    const { invoice, created } = await this.invoices.issue(seller, channelId, body);
    response.status(created ? 201 : 200);
    return invoiceView(invoice);
  }

  @Get('sellers/:ban/invoices')
  async search(@Param('ban') ban: string, @Query() query: SearchInvoicesDto) {
    const seller = await this.sellers.getSeller(ban);
    const buyer = query.buyer?.trim();
    const { invoices, nextCursor } = await this.invoices.search(seller, {
      period: query.period === undefined ? undefined : parsePeriod(query.period, 'period').code,
      number: query.number?.trim(),
      billingNo: query.billingNo?.trim(),
      buyerBan: buyer && /^\d{8}$/.test(buyer) ? buyer : undefined,
      buyerName: buyer && !/^\d{8}$/.test(buyer) ? buyer : undefined,
      status: list(query.status, 'status', INVOICE_STATUSES),
      deadlineState: list(query.deadlineState, 'deadlineState', [...OPEN_DEADLINE_STATES, 'done']),
      from: query.from === undefined ? undefined : taipeiBound(query.from, 'from', 0),
      to: query.to === undefined ? undefined : taipeiBound(query.to, 'to', 1),
      cursor: query.cursor,
      limit: query.limit ?? 50,
    });
    return { invoices: invoices.map(invoiceView), nextCursor };
  }

  @Get('sellers/:ban/invoices/:number')
  async get(@Param('ban') ban: string, @Param('number') number: string) {
    const seller = await this.sellers.getSeller(ban);
    const { invoice, timeline, uploads, allowances, messages } = await this.invoices.detail(seller, number);
    return {
      ...invoiceView(invoice),
      void: invoice.voidedAt ? { at: invoice.voidedAt, reason: invoice.voidReason, approvalNumber: invoice.voidApprovalNumber } : null,
      allowances,
      messages,
      timeline,
      uploads,
    };
  }

  /** 作廢 (F0501) or 空白作廢; `Idempotency-Key` makes a repeated request harmless. */
  @Post('sellers/:ban/invoices/:number/void')
  @HttpCode(200)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'the same key again returns the first answer and changes nothing' })
  async void(@Param('ban') ban: string, @Param('number') number: string, @Body() body: VoidInvoiceDto, @Headers('idempotency-key') key?: string) {
    const seller = await this.sellers.getSeller(ban);
    return this.operations.void(seller, number, { key: requestKey(key), reason: body.reason, mode: body.mode ?? 'void', approvalNumber: body.approvalNumber });
  }

  @Post('sellers/:ban/invoices/:number/allowances')
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async allowance(@Param('ban') ban: string, @Param('number') number: string, @Body() body: AllowanceDto, @Headers('idempotency-key') key?: string) {
    if (!body.whole && !body.lines?.length) {
      throw new DomainError('invalid', 'ALLOWANCE.INVALID', 'give whole: true or at least one line', [
        { field: 'lines', code: 'ALLOWANCE.INVALID', message: 'give whole: true or at least one line' },
      ]);
    }
    const seller = await this.sellers.getSeller(ban);
    const result = await this.operations.allowance(seller, number, {
      key: requestKey(key),
      whole: body.whole,
      lines: body.lines?.map((line) => ({ lineIndex: line.line - 1, quantity: line.quantity, amount: line.amount })),
      reason: body.reason,
    });
    return { ...result, lines: result.lines.map(({ lineIndex, ...line }) => ({ line: lineIndex + 1, ...line })) };
  }

  @Post('sellers/:ban/allowances/:number/void')
  @HttpCode(200)
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async voidAllowance(@Param('ban') ban: string, @Param('number') number: string, @Body() body: VoidAllowanceDto, @Headers('idempotency-key') key?: string) {
    const seller = await this.sellers.getSeller(ban);
    return this.operations.voidAllowance(seller, number, { key: requestKey(key), reason: body.reason });
  }

  /** Sends a rejected invoice again, with the corrections staff made; refused unless the upload was rejected. */
  @Post('sellers/:ban/invoices/:number/resend')
  @HttpCode(200)
  async resend(@Param('ban') ban: string, @Param('number') number: string, @Body() body: ResendDto) {
    return this.operations.resend(await this.sellers.getSeller(ban), number, body);
  }

  @Get('sellers/:ban/deadlines')
  async deadlines(@Param('ban') ban: string, @Query() query: DeadlinesQueryDto) {
    const seller = await this.sellers.getSeller(ban);
    const filter = {
      sellerId: seller.id,
      states: parseStates(query.state),
      withinMs: query.within === undefined ? undefined : query.within * 3600_000,
    };
    const [rows, messages] = await Promise.all([this.invoices.deadlines(filter), this.invoices.messageDeadlines(filter)]);
    return { invoices: rows.map(invoiceView), messages };
  }

  @Get('deadlines/summary')
  @AdminOnly()
  async summary() {
    return { sellers: await this.invoices.deadlineSummary() };
  }
}
