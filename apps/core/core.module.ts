import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../libs/infra/config/config';
import { cryptoRandomSource } from '../../libs/adapters/crypto/crypto-random-source';
import { CredentialsCipher } from '../../libs/adapters/crypto/credentials-cipher';
import { systemClock } from '../../libs/adapters/clock/clock';
import { Mailer } from '../../libs/adapters/mail/mailer';
import { LifecycleControl } from '../../libs/adapters/temporal/lifecycle-control';
import { ReconciliationControl } from '../../libs/adapters/temporal/reconciliation-control';
import { WorkflowStarter } from '../../libs/adapters/temporal/workflow-starter';
import { WebhookSender } from '../../libs/adapters/webhook/webhook-sender';
import { openDatabase } from '../../libs/infra/persistence/data-source';
import { AlertDeliveryService } from '../../libs/modules/alert-delivery';
import { AlertsService } from '../../libs/modules/alerts';
import { OrderImportsService, createOrderImportsService } from '../../libs/modules/imports';
import { InvoiceOperations, InvoiceProofs, InvoicesService, createInvoiceOperations, createInvoiceProofs, createInvoicesService } from '../../libs/modules/invoices';
import { ProofPdfRenderer } from '../../libs/adapters/pdf/proof-pdf.renderer';
import { NumberAllocator, TracksService } from '../../libs/modules/numbers';
import { OrderProcessingService, OrdersService, createOrderProcessingService, createOrdersService } from '../../libs/modules/orders';
import {
  BlankNumbersQuery,
  ReconciliationRuns,
  ReconciliationService,
  createReconciliationRuns,
  createReconciliationService,
} from '../../libs/modules/reconciliation';
import { SellersService } from '../../libs/modules/sellers';
import { TaxFilingService } from '../../libs/modules/tax-filing';

@Injectable()
class CoreShutdown implements OnApplicationShutdown {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(Connection) private readonly connection: Connection,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
    if (this.db.isInitialized) await this.db.destroy();
  }
}

/** The infrastructure both apps share: validated config, the database, Temporal, and the libs/ services. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig): DynamicModule {
    if (!config.databaseUrl) throw new Error('CoreModule needs a database URL (the launcher provides one)');
    if (!config.temporal.address) throw new Error('CoreModule needs a Temporal address (the launcher provides one)');
    if (!config.credentialsKey) throw new Error('CoreModule needs CREDENTIALS_KEY (the launcher provides one)');
    const { databaseUrl, credentialsKey } = config;
    const temporalAddress = config.temporal.address;
    const providers = [
      { provide: AppConfig, useValue: config },
      { provide: DataSource, useFactory: () => openDatabase(databaseUrl) },
      { provide: Connection, useFactory: () => Connection.lazy({ address: temporalAddress }) },
      {
        provide: Client,
        useFactory: (connection: Connection) => new Client({ connection, namespace: config.temporal.namespace }),
        inject: [Connection],
      },
      { provide: CredentialsCipher, useFactory: () => new CredentialsCipher(credentialsKey) },
      { provide: NumberAllocator, useFactory: () => new NumberAllocator() },
      { provide: SellersService, useFactory: (db: DataSource, cipher: CredentialsCipher) => new SellersService(db, cipher), inject: [DataSource, CredentialsCipher] },
      { provide: TracksService, useFactory: (db: DataSource, sellers: SellersService) => new TracksService(db, sellers), inject: [DataSource, SellersService] },
      {
        provide: WorkflowStarter,
        useFactory: (client: Client) => new WorkflowStarter(client, config.temporal.taskQueue),
        inject: [Client],
      },
      { provide: LifecycleControl, useFactory: (client: Client) => new LifecycleControl(client, config.temporal.taskQueue), inject: [Client] },
      { provide: ReconciliationControl, useFactory: (client: Client) => new ReconciliationControl(client), inject: [Client] },
      {
        provide: InvoicesService,
        useFactory: (db: DataSource, allocator: NumberAllocator, starter: WorkflowStarter) =>
          createInvoicesService(db, { allocator, random: cryptoRandomSource, warnBeforeMs: config.deadlineWarnMs, starter, clock: systemClock }),
        inject: [DataSource, NumberAllocator, WorkflowStarter],
      },
      {
        provide: InvoiceOperations,
        useFactory: (db: DataSource, lifecycles: LifecycleControl) => createInvoiceOperations(db, lifecycles),
        inject: [DataSource, LifecycleControl],
      },
      // One renderer per process: it keeps the CJK fonts (about 40 MB) loaded after the first proof.
      { provide: ProofPdfRenderer, useFactory: () => new ProofPdfRenderer() },
      {
        provide: InvoiceProofs,
        useFactory: (db: DataSource, sellers: SellersService, renderer: ProofPdfRenderer) => createInvoiceProofs(db, sellers, renderer),
        inject: [DataSource, SellersService, ProofPdfRenderer],
      },
      {
        provide: OrderImportsService,
        useFactory: (db: DataSource, invoices: InvoicesService, allocator: NumberAllocator) => createOrderImportsService(db, { invoices, allocator, clock: systemClock }),
        inject: [DataSource, InvoicesService, NumberAllocator],
      },
      {
        provide: OrdersService,
        useFactory: (db: DataSource, invoices: InvoicesService, starter: WorkflowStarter) => createOrdersService(db, { invoices, starter, clock: systemClock }),
        inject: [DataSource, InvoicesService, WorkflowStarter],
      },
      {
        provide: OrderProcessingService,
        useFactory: (db: DataSource, sellers: SellersService, invoices: InvoicesService, operations: InvoiceOperations, alerts: AlertsService) =>
          createOrderProcessingService(db, { sellers, invoices, operations, alerts }),
        inject: [DataSource, SellersService, InvoicesService, InvoiceOperations, AlertsService],
      },
      ...reconciliationProviders(config),
    ];
    return {
      module: CoreModule,
      providers: [...providers, CoreShutdown],
      exports: providers.map((p) => p.provide),
    };
  }
}

/** E-mail when staff addresses and an SMTP server are set, the webhook when its URL is; else alerts stay on the dashboard. */
function alertDelivery(db: DataSource, config: AppConfig): AlertDeliveryService {
  const { emails, webhook, burstMs, retryBaseMs } = config.alerts;
  return new AlertDeliveryService(
    db,
    { emails, burstMs, retryBaseMs, maxAttempts: 12 },
    {
      mailer: config.mail.smtpUrl && emails.length > 0 ? new Mailer(config.mail.smtpUrl, config.mail.from) : undefined,
      webhook: webhook ? new WebhookSender(webhook.url, webhook.secret) : undefined,
    },
    systemClock,
  );
}

/** Alerts and the blank-number reconciliation; the worker adds the Turnkey gateway to upload. */
function reconciliationProviders(config: AppConfig) {
  return [
    { provide: AlertDeliveryService, useFactory: (db: DataSource) => alertDelivery(db, config), inject: [DataSource] },
    {
      provide: AlertsService,
      useFactory: (db: DataSource, delivery: AlertDeliveryService) => {
        const alerts = AlertsService.create(db, systemClock);
        alerts.onOpened((alert, manager) => delivery.enqueue(alert, manager));
        return alerts;
      },
      inject: [DataSource, AlertDeliveryService],
    },
    { provide: BlankNumbersQuery, useFactory: (db: DataSource) => new BlankNumbersQuery(db), inject: [DataSource] },
    {
      provide: ReconciliationService,
      useFactory: (db: DataSource, sellers: SellersService, alerts: AlertsService) => createReconciliationService(db, { sellers, alerts, clock: systemClock }),
      inject: [DataSource, SellersService, AlertsService],
    },
    {
      provide: ReconciliationRuns,
      useFactory: (db: DataSource, control: ReconciliationControl, starter: WorkflowStarter, sellers: SellersService) => createReconciliationRuns(db, { control, starter, sellers, clock: systemClock }),
      inject: [DataSource, ReconciliationControl, WorkflowStarter, SellersService],
    },
    {
      provide: TaxFilingService,
      useFactory: (db: DataSource, sellers: SellersService, reconciliation: ReconciliationService) => new TaxFilingService(db, sellers, reconciliation),
      inject: [DataSource, SellersService, ReconciliationService],
    },
  ];
}
