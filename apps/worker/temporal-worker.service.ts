import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { DataSource } from 'typeorm';
import { Client } from '@temporalio/client';
import { createInvoiceActivities } from '../../activities/invoice.activities';
import { createMaintenanceActivities } from '../../activities/maintenance.activities';
import { createOrderImportActivities } from '../../activities/order-import.activities';
import { createOrderActivities } from '../../activities/order.activities';
import { OrderProcessingService } from '../../libs/modules/orders/order-processing.service';
import { AppConfig } from '../../libs/infra/config/config';
import { InvoiceLifecycleService } from '../../libs/modules/invoices/invoice-lifecycle.service';
import { InvoiceRepositories, InvoicesService } from '../../libs/modules/invoices/invoices.service';
import { systemClock } from '../../libs/adapters/clock/clock';
import { ensureMaintenanceSchedule } from '../../libs/adapters/temporal/maintenance-schedule';
import { OrderImportsService } from '../../libs/modules/imports/order-imports.service';
import { WorkflowStarter } from '../../libs/adapters/temporal/workflow-starter';
import { Mailer } from '../../libs/adapters/mail/mailer';
import { createDataSource } from '../../libs/infra/persistence/data-source';
import { TurnkeyGateway } from '../../libs/adapters/turnkey/turnkey.gateway';
import { installTemporalRuntimeLogging } from './temporal-runtime';

/** Owns the Temporal Worker: builds the activities from their dependencies, polls, drains and stops on shutdown. */
@Injectable()
export class TemporalWorkerService implements OnApplicationBootstrap, OnApplicationShutdown {
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
    @Inject(InvoiceRepositories) private readonly repos: InvoiceRepositories,
    @Inject(Client) private readonly client: Client,
    @Inject(OrderProcessingService) private readonly orders: OrderProcessingService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { address, namespace, taskQueue } = this.config.temporal;
    installTemporalRuntimeLogging();
    // Turnkey keeps its results in its own database; without one configured, the simulator writes to ours.
    const resultsDb = this.config.turnkey.databaseUrl
      ? (this.turnkeyDb = await createDataSource(this.config.turnkey.databaseUrl, { poolSize: 4 }).initialize())
      : this.db;
    this.mailer = this.config.mail.smtpUrl ? new Mailer(this.config.mail.smtpUrl, this.config.mail.from) : undefined;
    this.connection = await NativeConnection.connect({ address });
    this.worker = await Worker.create({
      connection: this.connection,
      namespace,
      taskQueue,
      workflowsPath: require.resolve('../../workflows'),
      activities: {
        ...createInvoiceActivities(
          new InvoiceLifecycleService(this.db, this.repos, new TurnkeyGateway(this.config.turnkey.dir, resultsDb), systemClock, {
            warnBeforeMs: this.config.deadlineWarnMs,
            mailer: this.mailer,
          }),
        ),
        ...createOrderImportActivities({ imports: this.imports, starter: this.starter }),
        ...createMaintenanceActivities({ invoices: this.invoices, starter: this.starter }),
        ...createOrderActivities(this.orders),
      },
    });
    await ensureMaintenanceSchedule(this.client, taskQueue);
    this.running = this.worker.run();
    this.running.catch((error) => this.logger.error(`worker stopped: ${error}`));
    this.logger.log(`polling task queue '${taskQueue}' on ${address}`);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.worker && this.worker.getState() === 'RUNNING') this.worker.shutdown();
    await this.running?.catch(() => undefined);
    await this.connection?.close();
    this.mailer?.close();
    if (this.turnkeyDb?.isInitialized) await this.turnkeyDb.destroy();
  }
}
