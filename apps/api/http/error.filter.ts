import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { Response } from 'express';
import { DomainError, ErrorDetail, HTTP_STATUS_OF_KIND } from '../../../libs/domain';
import { isDatabaseUnavailable } from '../../../libs/infra/persistence/pg-errors';

interface ErrorBody {
  code: string;
  message: string;
  details: ErrorDetail[];
}

/** One error shape for every failure: `{code, message, details: [{row?, column?, field?, code, message}]}`. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const [status, body] = this.describe(error);
    if (status >= 500) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    response.status(status).json(body);
  }

  private describe(error: unknown): [number, ErrorBody] {
    if (error instanceof DomainError) {
      return [HTTP_STATUS_OF_KIND[error.kind], { code: error.code, message: error.message, details: error.details }];
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const response = error.getResponse();
      const body = typeof response === 'object' ? (response as Partial<ErrorBody> & { message?: unknown }) : {};
      return [
        status,
        {
          code: body.code ?? `HTTP.${status}`,
          message: typeof body.message === 'string' ? body.message : error.message,
          details: Array.isArray(body.details) ? body.details : [],
        },
      ];
    }
    if (isDatabaseUnavailable(error)) {
      // Every write is one transaction, so a request cut off here changed nothing; the pool reconnects by itself.
      return [HttpStatus.SERVICE_UNAVAILABLE, { code: 'SERVICE.UNAVAILABLE', message: 'the database is unavailable; try again shortly', details: [] }];
    }
    return [HttpStatus.INTERNAL_SERVER_ERROR, { code: 'INTERNAL', message: 'internal error; see the service log', details: [] }];
  }
}
