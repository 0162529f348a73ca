import { ConsoleLogger, LoggerService } from '@nestjs/common';
import { AppConfig } from '../config/config';

/** Structured JSON lines by default (for log shippers); `LOG_FORMAT=pretty` for a terminal. */
export function createLogger(config: Pick<AppConfig, 'logFormat'>, context?: string): LoggerService {
  const json = config.logFormat === 'json';
  return new ConsoleLogger(context ?? '', { json, colors: !json });
}
