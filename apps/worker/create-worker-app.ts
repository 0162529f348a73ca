import { INestApplicationContext, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig } from '../../libs/infra/config/config';
import { WorkerModule } from './worker.module';

export async function createWorkerApp(config: AppConfig, logger: LoggerService | false = false): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(WorkerModule.register(config), { logger, abortOnError: false });
  return app;
}
