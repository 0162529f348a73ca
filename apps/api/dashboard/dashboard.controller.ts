import { Controller, Get, Header, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { systemClock } from '../../../libs/adapters/clock/clock';
import { importWorkflowId } from '../../../libs/contracts/workflows';
import { reconciliationWorkflowId } from '../../../libs/contracts/reconciliation';
import { DomainError } from '../../../libs/domain';
import { AppConfig } from '../../../libs/infra/config/config';
import { OrderImportsService } from '../../../libs/modules/imports';
import { InvoicesService } from '../../../libs/modules/invoices';
import { TracksService } from '../../../libs/modules/numbers';
import { ReconciliationRuns } from '../../../libs/modules/reconciliation';
import { AlertDeliveryService } from '../../../libs/modules/alert-delivery';
import { deliveryView } from '../alerts/alert-deliveries.controller';
import { Public, StaffOnly } from '../auth/auth.decorators';
import { dashboardScript } from './dashboard-assets';
import { DASHBOARD_CSP, DASHBOARD_HTML } from './dashboard-page';

/**
 * The current hour and the 48 after it: a B2C invoice issued now is due 48 h from now, which falls in the 49th slot
 * counted from the start of this hour.
 */
const DUE_CHART_HOURS = 49;
/** Board rows in one snapshot unless the page asks for a page of them. */
const BOARD_ITEMS = 200;

/** The board's rows the page shows, a page of the nearest due at a time; the counts per seller are always complete. */
export class SnapshotQueryDto {
  @IsOptional() @Type(() => Number) @IsInt({ message: 'boardOffset must be a whole number' }) @Min(0) @Max(1_000_000)
  boardOffset?: number;

  @IsOptional() @Type(() => Number) @IsInt({ message: 'boardLimit must be a whole number' }) @Min(1) @Max(500)
  boardLimit?: number;
}

export class DueByHourQueryDto {
  @IsOptional() @Type(() => Number) @IsInt({ message: 'hours must be a whole number' }) @Min(1) @Max(168)
  hours?: number;
}

/** The operations dashboard: the page at `/`, and the reads it polls (staff keys or a signed-in session). */
@ApiTags('dashboard')
@ApiBearerAuth()
@Controller()
export class DashboardController {
  constructor(
    @Inject(InvoicesService) private readonly invoices: InvoicesService,
    @Inject(OrderImportsService) private readonly imports: OrderImportsService,
    @Inject(TracksService) private readonly tracks: TracksService,
    @Inject(ReconciliationRuns) private readonly reconciliations: ReconciliationRuns,
    @Inject(AlertDeliveryService) private readonly delivery: AlertDeliveryService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  @Get()
  @Public()
  @ApiExcludeEndpoint()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', DASHBOARD_CSP)
  @Header('Cache-Control', 'no-cache')
  page(): string {
    return DASHBOARD_HTML;
  }

  @Get('web/:file')
  @Public()
  @ApiExcludeEndpoint()
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  script(@Param('file') file: string): string {
    const script = dashboardScript(file);
    if (script === undefined) throw new DomainError('not_found', 'DASHBOARD.NO_SUCH_FILE', `no dashboard file ${file}; run npm run build if dist/web is missing`);
    return script;
  }

  /** Everything the page shows in one read, so one poll gives one consistent-enough picture. */
  @Get('api/v1/dashboard')
  @StaffOnly()
  async snapshot(@Query() query: SnapshotQueryDto) {
    const [board, dueByHour, imports, reconciliations, stock, delivery] = await Promise.all([
      this.invoices.board(query.boardLimit ?? BOARD_ITEMS, query.boardOffset ?? 0), this.dueByHour({}), this.recentImports(), this.recentReconciliations(), this.stock(), this.delivery.latest(),
    ]);
    const alertDelivery = { targets: delivery.targets, last: delivery.last.map(deliveryView) };
    return { generatedAt: systemClock.now(), board, dueByHour, imports, reconciliations, stock, alertDelivery };
  }

  /** Invoices and messages due soon, overdue, past the legal limit, rejected or sent without a verdict; per seller and channel. */
  @Get('api/v1/dashboard/board')
  @StaffOnly()
  async board() {
    return this.invoices.board(BOARD_ITEMS, 0);
  }

  @Get('api/v1/dashboard/due-by-hour')
  @StaffOnly()
  async dueByHour(@Query() query: DueByHourQueryDto) {
    return this.invoices.dueByHour(query.hours ?? DUE_CHART_HOURS);
  }

  @Get('api/v1/dashboard/imports')
  @StaffOnly()
  async recentImports() {
    return { imports: (await this.imports.recent()).map((run) => ({ ...run, workflowId: importWorkflowId(run.id) })) };
  }

  /** Reconciliation runs still working, and those changed in the last 24 hours. */
  @Get('api/v1/dashboard/reconciliations')
  @StaffOnly()
  async recentReconciliations() {
    const runs = await this.reconciliations.recent(new Date(systemClock.now().getTime() - 24 * 3600_000));
    return { runs: runs.map((run) => ({ ...run, workflowId: reconciliationWorkflowId(run.sellerBan, run.period, run.mode) })) };
  }

  @Get('api/v1/dashboard/number-stock')
  @StaffOnly()
  async stock() {
    return this.tracks.stock(systemClock.now(), this.config.numbersLowThreshold);
  }
}
