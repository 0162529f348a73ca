import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Client, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Response } from 'express';
import { invoiceWorkflowId, resendUpdate } from '../../../libs/contracts/workflows';
import { DomainError } from '../../../libs/domain';
import { InvoicesService } from '../../../libs/invoices/invoices.service';
import type { Principal } from '../../../libs/sellers/sellers.service';
import { SellersService } from '../../../libs/sellers/sellers.service';
import { AdminOnly, CurrentPrincipal } from '../auth/auth.decorators';
import { invoiceView } from './invoice.view';
import { DeadlinesQueryDto, IssueInvoiceDto, ResendDto } from './invoices.dto';

const DEADLINE_STATES = ['on_time', 'due_soon', 'overdue', 'past_legal'];

function parseStates(text: string | undefined): string[] | undefined {
  if (!text) return undefined;
  const states = text.split(',').map((s) => s.trim());
  const bad = states.filter((s) => !DEADLINE_STATES.includes(s));
  if (bad.length > 0) {
    throw new DomainError('invalid', 'DEADLINES.STATE', `unknown deadline state ${bad.join(', ')}`, [
      { field: 'state', code: 'DEADLINES.STATE', message: `use ${DEADLINE_STATES.join(', ')}` },
    ]);
  }
  return states;
}

function notResendable(message: string): DomainError {
  return new DomainError('conflict', 'INVOICE.NOT_RESENDABLE', message);
}

@ApiTags('invoices (EINV111, Einv120)')
@ApiBearerAuth()
@Controller('api/v1')
export class InvoicesController {
  constructor(
    @Inject(SellersService) private readonly sellers: SellersService,
    @Inject(InvoicesService) private readonly invoices: InvoicesService,
    @Inject(Client) private readonly temporal: Client,
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

  @Get('sellers/:ban/invoices/:number')
  async get(@Param('ban') ban: string, @Param('number') number: string) {
    const seller = await this.sellers.getSeller(ban);
    const { invoice, timeline, uploads } = await this.invoices.detail(seller, number);
    return { ...invoiceView(invoice), timeline, uploads };
  }

  /** Sends a rejected invoice again, with the corrections staff made; refused unless the upload was rejected. */
  @Post('sellers/:ban/invoices/:number/resend')
  @HttpCode(200)
  async resend(@Param('ban') ban: string, @Param('number') number: string, @Body() body: ResendDto) {
    const seller = await this.sellers.getSeller(ban);
    const { invoice } = await this.invoices.detail(seller, number);
    // A finished lifecycle takes no updates; the status says why without asking Temporal.
    if (invoice.status !== 'rejected') throw notResendable(`invoice ${invoice.invoice_number} is ${invoice.status}; only a rejected upload can be resent`);
    try {
      const status = await this.temporal.workflow.getHandle(invoiceWorkflowId(seller.ban, invoice.invoice_number)).executeUpdate(resendUpdate, { args: [body] });
      return { number: invoice.invoice_number, ...status };
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError) {
        throw notResendable(error.cause?.message ?? error.message);
      }
      throw error;
    }
  }

  @Get('sellers/:ban/deadlines')
  async deadlines(@Param('ban') ban: string, @Query() query: DeadlinesQueryDto) {
    const seller = await this.sellers.getSeller(ban);
    const rows = await this.invoices.deadlines({
      sellerId: seller.id,
      states: parseStates(query.state),
      withinMs: query.within === undefined ? undefined : query.within * 3600_000,
    });
    return { invoices: rows.map(invoiceView) };
  }

  @Get('deadlines/summary')
  @AdminOnly()
  async summary() {
    return { sellers: await this.invoices.deadlineSummary() };
  }
}
