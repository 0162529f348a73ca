import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { DataSource } from 'typeorm';
import { Client } from '@temporalio/client';
import { createInvoiceActivities } from '../../activities/invoice.activities';
import { createMaintenanceActivities } from '../../activities/maintenance.activities';
import { createOrderImportActivities } from '../../activities/order-import.activities';
import { createOrderActivities } from '../../activities/order.activities';
import { AppConfig } from '../../libs/infra/config/config';
import { systemClock } from '../../libs/adapters/clock/clock';
import { ensureMaintenanceSchedule } from '../../libs/adapters/temporal/maintenance-schedule';
import { ensureReconciliationSchedule } from '../../libs/adapters/temporal/reconciliation-schedule';
import { WorkflowStarter } from '../../libs/adapters/temporal/workflow-starter';
import { Mailer } from '../../libs/adapters/mail/mailer';
import { TurnkeyGateway } from '../../libs/adapters/turnkey/turnkey.gateway';
import { createDataSource } from '../../libs/infra/persistence/data-source';
import { AlertsService } from '../../libs/modules/alerts';
import { OrderImportsService } from '../../libs/modules/imports';
import { InvoiceAlerts, InvoiceProofs, InvoicesService, createInvoiceLifecycleService } from '../../libs/modules/invoices';
import { NumberAllocator, NumberStock } from '../../libs/modules/numbers';
import { OrderProcessingService } from '../../libs/modules/orders';
import { createReconciliationService, createReportedRangeWatch } from '../../libs/modules/reconciliation';
import { SellersService } from '../../libs/modules/sellers';
import { createReconciliationActivities } from '../../activities/reconciliation.activities';
import { installTemporalRuntimeLogging } from './temporal-runtime';
import { lifecycleObserver } from './lifecycle-observer';

/**
 * Owns the Temporal Worker: builds the activities from their dependencies, polls, drains on shutdown — before the
 * core closes the connection and the database its activities use.
 */
@Injectable()
export class TemporalWorkerService implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('TemporalWorker');
  private connection?: NativeConnection;
  private worker?: Worker;
  private running?: Promise<void>;
  private turnkeyDb?: DataSource;
  private mailer?: Mailer;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(OrderImportsService) private readonly imports: OrderImportsService,
    @Inject(WorkflowStarter) private readonly starter: WorkflowStarter,
    @Inject(InvoicesService) private readonly invoices: InvoicesService,
    @Inject(Client) private readonly client: Client,
    @Inject(OrderProcessingService) private readonly orders: OrderProcessingService,
    @Inject(AlertsService) private readonly alerts: AlertsService,
    @Inject(SellersService) private readonly sellers: SellersService,
    @Inject(NumberAllocator) private readonly allocator: NumberAllocator,
    @Inject(InvoiceProofs) private readonly proofs: InvoiceProofs,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { address, namespace, taskQueue } = this.config.temporal;
    installTemporalRuntimeLogging();
    // Turnkey keeps its results in its own database; without one configured, the simulator writes to ours.
    const resultsDb = this.config.turnkey.databaseUrl
      ? (this.turnkeyDb = await createDataSource(this.config.turnkey.databaseUrl, { poolSize: 4 }).initialize())
      : this.db;
    this.mailer = this.config.mail.smtpUrl ? new Mailer(this.config.mail.smtpUrl, this.config.mail.from) : undefined;
    const gateway = new TurnkeyGateway(this.config.turnkey.dir, resultsDb);
    const observer = lifecycleObserver({
      invoiceAlerts: new InvoiceAlerts(this.alerts),
      stock: new NumberStock(this.db, this.allocator, this.alerts, this.config.numbersLowThreshold),
      watch: createReportedRangeWatch(this.db, this.alerts, systemClock),
    });
    const reconciliation = createReconciliationService(this.db, { sellers: this.sellers, alerts: this.alerts, clock: systemClock, gateway, silentAfterMs: this.config.turnkey.silentAfterMs });
    this.connection = await NativeConnection.connect({ address });
    this.worker = await Worker.create({
      connection: this.connection,
      namespace,
      taskQueue,
      workflowsPath: require.resolve('../../workflows'),
      activities: {
        ...createInvoiceActivities(
          createInvoiceLifecycleService(this.db, gateway, systemClock, {
            warnBeforeMs: this.config.deadlineWarnMs,
            silentAfterMs: this.config.turnkey.silentAfterMs,
            quickVerdictMs: this.config.turnkey.quickVerdictMs,
            mailer: this.mailer,
            proofs: this.proofs,
            observer,
          }),
        ),
        ...createOrderImportActivities({ imports: this.imports, starter: this.starter }),
        ...createMaintenanceActivities({ invoices: this.invoices, starter: this.starter }),
        ...createOrderActivities(this.orders),
        ...createReconciliationActivities({ reconciliation, sellers: this.sellers, starter: this.starter }),
      },
    });
    await ensureMaintenanceSchedule(this.client, taskQueue);
    await ensureReconciliationSchedule(this.client, taskQueue);
    this.running = this.worker.run();
    this.running.catch((error) => this.logger.error(`worker stopped: ${error}`));
    this.logger.log(`polling task queue '${taskQueue}' on ${address}`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.worker && this.worker.getState() === 'RUNNING') this.worker.shutdown();
    await this.running?.catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection?.close();
    this.mailer?.close();
    if (this.turnkeyDb?.isInitialized) await this.turnkeyDb.destroy();
  }
}
