import { INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppConfig } from '../../libs/infra/config/config';
import { ApiModule } from './api.module';
import { configureRequestBodies } from './http/request-body';
import { createValidationPipe } from './http/validation.pipe';

/** Builds the HTTP app exactly as it runs in production, so tests exercise the real thing. */
export async function createApiApp(config: AppConfig, logger: LoggerService | false = false): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.register(config), { logger, abortOnError: false, bodyParser: false });
  configureRequestBodies(app);
  app.useGlobalPipes(createValidationPipe());
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('e-Invoice back office')
      .setDescription('Number tracks, issuing, Turnkey upload and blank-number reconciliation for Taiwan e-invoices.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document);
  return app;
}
