import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AppConfig } from '../../libs/infra/config/config';
import { CoreModule } from '../core/core.module';
import { ApiKeyGuard } from './auth/api-key.guard';
import { ApiKeyResolver } from './auth/api-key.resolver';
import { DashboardController } from './dashboard/dashboard.controller';
import { SessionController } from './dashboard/session.controller';
import { HealthController } from './health.controller';
import { ImportsController } from './imports/imports.controller';
import { InvoicesController } from './invoices/invoices.controller';
import { InvoiceProofsController } from './invoices/invoice-proofs.controller';
import { InvoiceSearchController } from './invoices/invoice-search.controller';
import { OrdersController } from './orders/orders.controller';
import { ErrorFilter } from './http/error.filter';
import { NulByteGuard } from './http/nul-byte.guard';
import { SellersController } from './sellers/sellers.controller';
import { TracksController } from './tracks/tracks.controller';
import { DataSource } from 'typeorm';
import { systemClock } from '../../libs/adapters/clock/clock';
import { SignInThrottle, StaffSessionsService, createSignInThrottle } from '../../libs/modules/sessions';
import { AlertDeliveriesController } from './alerts/alert-deliveries.controller';
import { AlertsController } from './alerts/alerts.controller';
import { BlankNumbersController } from './reconciliation/blank-numbers.controller';
import { ReconciliationsController } from './reconciliation/reconciliations.controller';
import { StaffKeysController } from './sellers/staff-keys.controller';
import { TaxFilingController } from './tax-filing/tax-filing.controller';

@Module({})
export class ApiModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [CoreModule.forRoot(config)],
      controllers: [
        HealthController, SellersController, StaffKeysController, TracksController, InvoicesController, ImportsController,
        BlankNumbersController, ReconciliationsController, AlertsController, AlertDeliveriesController, SessionController, DashboardController, OrdersController,
        TaxFilingController, InvoiceProofsController, InvoiceSearchController,
      ],
      providers: [
        ApiKeyResolver,
        { provide: StaffSessionsService, useFactory: (db: DataSource) => new StaffSessionsService(db, systemClock), inject: [DataSource] },
        { provide: SignInThrottle, useFactory: (db: DataSource) => createSignInThrottle(db, systemClock), inject: [DataSource] },
        // In this order: a NUL byte is refused before anything looks the request up.
        { provide: APP_GUARD, useClass: NulByteGuard },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_FILTER, useClass: ErrorFilter },
      ],
    };
  }
}
