import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '../../libs/infra/config/config';
import { CoreModule } from '../core/core.module';
import { AlertDeliveryLoop } from './alert-delivery.loop';
import { TemporalWorkerService } from './temporal-worker.service';

@Module({})
export class WorkerModule {
  static register(config: AppConfig): DynamicModule {
    return { module: WorkerModule, imports: [CoreModule.forRoot(config)], providers: [TemporalWorkerService, AlertDeliveryLoop] };
  }
}
