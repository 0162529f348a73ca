import { INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppConfig } from '../../libs/infra/config/config';
import { ApiModule } from './api.module';
import { endConnectionsWhenClosing } from './http/closing-connections';
import { answerMalformedRequests } from './http/malformed-request';
import { configureRequestBodies } from './http/request-body';
import { createValidationPipe } from './http/validation.pipe';

/** Builds the HTTP app exactly as it runs in production, so tests exercise the real thing. */
export async function createApiApp(config: AppConfig, logger: LoggerService | false = false): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.register(config), { logger, abortOnError: false, bodyParser: false });
  // Longer than any client's own idle timeout (undici's 4 s, browsers' 60 s): the client, not the server, ends an
  // idle connection, so a request is never written into a socket the server is closing (EPIPE on a reused socket).
  // The client address (the sign-in throttle's) and host (the origin check's) come from a proxy only when it is named.
  if (config.trustProxy !== undefined) app.set('trust proxy', config.trustProxy);
  const server = app.getHttpServer();
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  endConnectionsWhenClosing(server);
  answerMalformedRequests(server);
  configureRequestBodies(app);
  app.useGlobalPipes(createValidationPipe());
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('e-Invoice back office')
      .setDescription(
        [
          'Number tracks, issuing, Turnkey upload and blank-number reconciliation for Taiwan e-invoices.',
          'Errors are `{code, message, details: [{row?, column?, field?, code, message}]}`. On every route: a NUL byte in a path or query parameter, a JSON string, a multipart text field or a header is a 400 `REQUEST.NUL_BYTE` naming where (`query.buyer`, `body.lines[1].description`, `header.idempotency-key`).',
          'A `POST`, `PUT`, `PATCH` or `DELETE` carried by the dashboard\'s session cookie instead of a bearer key must name this host in `Origin` (or send `Sec-Fetch-Site: same-origin`), else 403 `AUTH.CROSS_ORIGIN`.',
        ].join('\n\n'),
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document);
  return app;
}
