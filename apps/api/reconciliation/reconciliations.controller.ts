import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AlertsService } from '../../../libs/modules/alerts';
import { ReconciliationRuns, ReconciliationService } from '../../../libs/modules/reconciliation';
import type { Principal } from '../../../libs/modules/sellers';
import { CurrentPrincipal, FinanceActs, StaffOnly, actorOf } from '../auth/auth.decorators';
import { HoldReconciliationDto, ReportQueryDto, StartReconciliationDto } from './reconciliation.dto';
import { reconciliationView } from './reconciliation.view';

/** The period's blank-number reconciliation: finance starts, watches, holds, approves and reruns it. */
@ApiTags('reconciliation (EINV450, E0402)')
@ApiBearerAuth()
@StaffOnly()
@Controller('api/v1/sellers/:ban/reconciliations')
export class ReconciliationsController {
  constructor(
    @Inject(ReconciliationRuns) private readonly runs: ReconciliationRuns,
    @Inject(ReconciliationService) private readonly reconciliation: ReconciliationService,
    @Inject(AlertsService) private readonly alerts: AlertsService,
  ) {}

  /**
   * Starting the same period again answers the run already there (200), a new one 201; a period that has not ended
   * gets a check (mode `check`), which shows its ranges and uploads nothing.
   */
  @Post()
  @FinanceActs()
  @ApiOperation({
    summary: 'start the period’s run (201), or answer the one already there (200)',
    description: 'A period that has ended gets a report run (mode `report`); one still running (Taipei time) a check (mode `check`): its ranges shown, nothing uploaded. A run started here always waits at its draft for approve; only the Schedule’s own run uploads unattended.',
  })
  async start(@Param('ban') ban: string, @Body() body: StartReconciliationDto, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) response: Response) {
    const started = await this.runs.start(ban, body.period, actorOf(principal));
    response.status(started.created ? 201 : 200);
    return this.view(ban, started.period);
  }

  @Get(':period')
  @ApiOperation({
    summary: 'the run: state, progress, ranges per track, hold, E0402s and their upload',
    description: 'state: computing, draft, held, refused (violations), uploading, sent, accepted, rejected; checked (a check, which uploads nothing); nothing_to_report (no blank number, so no E0402). `reportableFrom` is the first day (Taipei) the period can be reported.',
  })
  async get(@Param('ban') ban: string, @Param('period') period: string) {
    return this.view(ban, period);
  }

  @Get(':period/e0402.xml')
  async e0402(@Param('ban') ban: string, @Param('period') period: string, @Query() query: ReportQueryDto): Promise<StreamableFile> {
    const report = await this.reconciliation.e0402(ban, period, query.track);
    const name = report.fileName ?? `E0402-${ban}-${period}-${report.invoiceType}${report.track}.xml`;
    return new StreamableFile(Buffer.from(report.xml, 'utf8'), { type: 'application/xml; charset=utf-8', disposition: `attachment; filename="${name}"` });
  }

  @Get(':period/blank-numbers.csv')
  async csv(@Param('ban') ban: string, @Param('period') period: string): Promise<StreamableFile> {
    const text = await this.reconciliation.csv(ban, period);
    // A BOM, so Excel opens the Chinese header as UTF-8.
    return new StreamableFile(Buffer.from(`\ufeff${text}`, 'utf8'), { type: 'text/csv; charset=utf-8', disposition: `attachment; filename="blank-numbers-${ban}-${period}.csv"` });
  }

  @Post(':period/hold')
  @FinanceActs()
  @ApiOperation({ summary: 'hold the run with a reason (recorded: who, when, why); it uploads nothing until released' })
  @HttpCode(200)
  async hold(@Param('ban') ban: string, @Param('period') period: string, @Body() body: HoldReconciliationDto, @CurrentPrincipal() principal: Principal) {
    await this.runs.hold(ban, period, { by: actorOf(principal), reason: body.reason.trim() });
    return this.view(ban, period);
  }

  /** Lifts a hold (recorded: who and when). */
  @Post(':period/release')
  @FinanceActs()
  @ApiOperation({
    summary: 'release a hold (recorded: who, when)',
    description: 'A person’s run then waits for approve again; the Schedule’s own run, past its upload time, uploads. 409 RECONCILIATION.NOT_HELD if it is not held.',
  })
  @HttpCode(200)
  async release(@Param('ban') ban: string, @Param('period') period: string, @CurrentPrincipal() principal: Principal) {
    await this.runs.release(ban, period, { by: actorOf(principal) });
    return this.view(ban, period);
  }

  @Post(':period/approve')
  @FinanceActs()
  @ApiOperation({
    summary: 'upload the draft’s E0402s now',
    description: 'Refused (409) for a period not ended (RECONCILIATION.PERIOD_NOT_ENDED, naming the first day it can be reported), a check (CHECK_ONLY), a held run (HELD, naming who, when and why), a draft with violations (VIOLATIONS), a period with no blank number (NOTHING_TO_REPORT), and one already uploaded (ALREADY_UPLOADED).',
  })
  @HttpCode(200)
  async approve(@Param('ban') ban: string, @Param('period') period: string, @CurrentPrincipal() principal: Principal) {
    await this.runs.approve(ban, period, { by: actorOf(principal) });
    return this.view(ban, period);
  }

  @Post(':period/rerun')
  @FinanceActs()
  @HttpCode(200)
  async rerun(@Param('ban') ban: string, @Param('period') period: string, @CurrentPrincipal() principal: Principal) {
    await this.runs.rerun(ban, period, { by: actorOf(principal) });
    return this.view(ban, period);
  }

  private async view(ban: string, period: string) {
    const { run, reports } = await this.reconciliation.ofPeriod(ban, period);
    const [status, conflicts] = await Promise.all([
      this.runs.status(run.workflowId),
      this.alerts.list({ kinds: ['reconciliation.conflict'], subject: { type: 'reconciliation', id: run.id }, states: ['open', 'acknowledged'] }),
    ]);
    return reconciliationView(run, reports, status, conflicts.alerts);
  }
}
