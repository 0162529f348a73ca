import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../libs/infra/config/config';
import { cryptoRandomSource } from '../../libs/adapters/crypto/crypto-random-source';
import { InvoiceIssuer } from '../../libs/modules/invoices/invoice-issuer';
import { InvoiceOperations } from '../../libs/modules/invoices/invoice-operations';
import { InvoiceRepositories, InvoicesService } from '../../libs/modules/invoices/invoices.service';
import { OrderImportsRepository } from '../../libs/modules/imports/order-imports.repository';
import { systemClock } from '../../libs/adapters/clock/clock';
import { OrderImportsService } from '../../libs/modules/imports/order-imports.service';
import { WorkflowStarter } from '../../libs/adapters/temporal/workflow-starter';
import { NumberAllocator } from '../../libs/modules/numbers/number-allocator';
import { TracksService } from '../../libs/modules/numbers/tracks.service';
import { openDatabase } from '../../libs/infra/persistence/data-source';
import { CredentialsCipher } from '../../libs/adapters/crypto/credentials-cipher';
import { SellersService } from '../../libs/modules/sellers/sellers.service';
import { AlertsService } from '../../libs/modules/alerts/alerts.service';
import { BlankNumbersQuery } from '../../libs/modules/reconciliation/blank-numbers.query';
import { ReconciliationsRepository } from '../../libs/modules/reconciliation/reconciliations.repository';
import { ReconciliationRuns } from '../../libs/modules/reconciliation/reconciliation-runs';
import { ReconciliationService } from '../../libs/modules/reconciliation/reconciliation.service';

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
      { provide: TracksService, useFactory: (db: DataSource) => new TracksService(db), inject: [DataSource] },
      {
        provide: WorkflowStarter,
        useFactory: (client: Client) => new WorkflowStarter(client, config.temporal.taskQueue),
        inject: [Client],
      },
      { provide: InvoiceRepositories, useFactory: (db: DataSource) => new InvoiceRepositories(db), inject: [DataSource] },
      { provide: OrderImportsRepository, useFactory: (db: DataSource) => new OrderImportsRepository(db), inject: [DataSource] },
      {
        provide: InvoiceIssuer,
        useFactory: (allocator: NumberAllocator, repos: InvoiceRepositories) => new InvoiceIssuer(allocator, repos.invoices, cryptoRandomSource, config.deadlineWarnMs),
        inject: [NumberAllocator, InvoiceRepositories],
      },
      {
        provide: InvoicesService,
        useFactory: (db: DataSource, repos: InvoiceRepositories, issuer: InvoiceIssuer, starter: WorkflowStarter) => new InvoicesService(db, repos, issuer, starter, systemClock),
        inject: [DataSource, InvoiceRepositories, InvoiceIssuer, WorkflowStarter],
      },
      {
        provide: InvoiceOperations,
        useFactory: (repos: InvoiceRepositories, client: Client) => new InvoiceOperations(repos, client, config.temporal.taskQueue),
        inject: [InvoiceRepositories, Client],
      },
      {
        provide: OrderImportsService,
        useFactory: (db: DataSource, imports: OrderImportsRepository, repos: InvoiceRepositories, issuer: InvoiceIssuer, allocator: NumberAllocator) =>
          new OrderImportsService(db, imports, repos.invoices, issuer, allocator, systemClock),
        inject: [DataSource, OrderImportsRepository, InvoiceRepositories, InvoiceIssuer, NumberAllocator],
      },
      ...reconciliationProviders(),
    ];
    return {
      module: CoreModule,
      providers: [...providers, CoreShutdown],
      exports: providers.map((p) => p.provide),
    };
  }
}

/** Alerts and the blank-number reconciliation; the worker adds the Turnkey gateway to upload. */
function reconciliationProviders() {
  return [
    { provide: AlertsService, useFactory: (db: DataSource) => AlertsService.create(db, systemClock), inject: [DataSource] },
    { provide: BlankNumbersQuery, useFactory: (db: DataSource) => new BlankNumbersQuery(db), inject: [DataSource] },
    { provide: ReconciliationsRepository, useFactory: (db: DataSource) => new ReconciliationsRepository(db), inject: [DataSource] },
    {
      provide: ReconciliationService,
      useFactory: (db: DataSource, runs: ReconciliationsRepository, query: BlankNumbersQuery, sellers: SellersService, alerts: AlertsService) =>
        new ReconciliationService(db, runs, query, sellers, alerts, systemClock),
      inject: [DataSource, ReconciliationsRepository, BlankNumbersQuery, SellersService, AlertsService],
    },
    {
      provide: ReconciliationRuns,
      useFactory: (client: Client, starter: WorkflowStarter, sellers: SellersService, runs: ReconciliationsRepository) => new ReconciliationRuns(client, starter, sellers, runs),
      inject: [Client, WorkflowStarter, SellersService, ReconciliationsRepository],
    },
  ];
}
