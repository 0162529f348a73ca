import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError, OPEN_DEADLINE_STATES } from '../../../libs/domain';
import { invoiceWorkflowId } from '../../../libs/contracts/workflows';
import { InvoiceOperations, InvoicesService } from '../../../libs/modules/invoices';
import type { Principal } from '../../../libs/modules/sellers';
import { SellersService } from '../../../libs/modules/sellers';
import { AdminOnly, CurrentPrincipal } from '../auth/auth.decorators';
import { invoiceView } from './invoice.view';
import { AllowanceDto, DeadlinesQueryDto, IssueInvoiceDto, ResendDto, VoidAllowanceDto, VoidInvoiceDto } from './invoices.dto';
import { SearchInvoicesDto, searchFilter } from './invoice-search.query';

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

  /** One seller's invoices, whole (lines included), newest or oldest first; staff search many sellers at GET /invoices. */
  @Get('sellers/:ban/invoices')
  async search(@Param('ban') ban: string, @Query() query: SearchInvoicesDto) {
    const seller = await this.sellers.getSeller(ban);
    const { invoices, nextCursor } = await this.invoices.search(seller, searchFilter(query));
    return { invoices: invoices.map(invoiceView), nextCursor };
  }

  @Get('sellers/:ban/invoices/:number')
  async get(@Param('ban') ban: string, @Param('number') number: string) {
    const seller = await this.sellers.getSeller(ban);
    const { invoice, timeline, uploads, allowances, messages, proof } = await this.invoices.detail(seller, number);
    return {
      ...invoiceView(invoice),
      workflowId: invoiceWorkflowId(seller.ban, invoice.invoiceNumber),
      proof,
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
