import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';
import { join, resolve } from 'node:path';

/** Only plain decimal digits count as a number: `1e3` or `0x50` for a port is a typo, not a port. */
const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : /^\d+$/.test(String(value)) ? Number(value) : NaN;

/** Every environment variable the service reads, validated once at start-up. */
class Environment {
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(65535)
  PORT = 3000;

  /**
   * The reverse proxies in front of the API, whose `X-Forwarded-For` / `X-Forwarded-Host` are believed: a number of
   * hops, or addresses, CIDR ranges and `loopback` / `linklocal` / `uniquelocal`, comma-separated. Unset: none, and
   * the client address is the socket's.
   */
  @IsOptional() @Matches(/^(\d+|(loopback|linklocal|uniquelocal|[0-9A-Fa-f.:]+(\/\d{1,3})?)(\s*,\s*(loopback|linklocal|uniquelocal|[0-9A-Fa-f.:]+(\/\d{1,3})?))*)$/, {
    message: 'TRUST_PROXY must be a number of hops, or addresses / CIDR ranges / loopback, linklocal, uniquelocal separated by commas',
  })
  TRUST_PROXY?: string;

  @IsOptional() @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @IsOptional() @Matches(/^[\w.-]+:\d+$/, { message: 'TEMPORAL_ADDRESS must be host:port, e.g. localhost:7233' })
  TEMPORAL_ADDRESS?: string;

  @IsOptional() @IsString() @MinLength(1)
  TEMPORAL_NAMESPACE = 'default';

  @IsOptional() @IsString() @MinLength(1)
  TEMPORAL_TASK_QUEUE = 'einvoice';

  /** AES-256-GCM key for channel credentials, 32 bytes in base64. */
  @IsOptional() @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'CREDENTIALS_KEY must be 32 bytes in base64 (44 characters)' })
  CREDENTIALS_KEY?: string;

  @IsOptional() @IsString() @MinLength(24, { message: 'ADMIN_API_KEY must be at least 24 characters' })
  ADMIN_API_KEY?: string;

  @IsOptional() @IsString()
  DATA_DIR = '.data';

  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(65535)
  EMBEDDED_PG_PORT = 54329;

  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(65535)
  TEMPORAL_DEV_PORT = 7233;

  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(65535)
  TEMPORAL_UI_PORT = 8233;

  /** Where staff open the Temporal UI: the dashboard links each invoice, import and run to its workflow there. */
  @IsOptional() @Matches(/^https?:\/\/[^\s]+$/, { message: 'TEMPORAL_UI_URL must be an http:// or https:// URL' })
  TEMPORAL_UI_URL?: string;

  @IsOptional() @IsIn(['json', 'pretty'])
  LOG_FORMAT: 'json' | 'pretty' = 'json';

  /** Turnkey's working folder (UpCast/…); defaults to DATA_DIR/turnkey, where the platform simulator reads. */
  @IsOptional() @IsString() @MinLength(1)
  TURNKEY_DIR?: string;

  /** Turnkey's database (TURNKEY_MESSAGE_LOG); defaults to DATABASE_URL, where the simulator writes. */
  @IsOptional() @Matches(/^postgres(ql)?:\/\/.+/, { message: 'TURNKEY_DATABASE_URL must be a postgres:// URL' })
  TURNKEY_DATABASE_URL?: string;

  /** `on` starts the MOF platform simulator with `npm start`; `off` when a real Turnkey is configured. */
  @IsOptional() @IsIn(['on', 'off'])
  TURNKEY_SIMULATOR: 'on' | 'off' = 'on';

  /**
   * A message handed to Turnkey with no verdict (C or E) after this long raises `turnkey.silent`. At most 6 days:
   * Turnkey itself mails its operator then.
   */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(6 * 24 * 3600)
  TURNKEY_SILENT_SECONDS = 3600;

  /**
   * How long the workflow task that hands a message to Turnkey waits in the worker for a quick verdict before the
   * lifecycle falls back to polling (0: never wait). A platform that answers within it costs no polling activity.
   * Below Temporal's 10 s workflow task timeout, with room to spare.
   */
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(5000)
  TURNKEY_QUICK_VERDICT_MS = 2000;

  @IsOptional() @Matches(/^smtps?:\/\/.+/, { message: 'SMTP_URL must be smtp:// or smtps://' })
  SMTP_URL?: string;

  @IsOptional() @IsString() @MinLength(3)
  MAIL_FROM = 'e-invoice <no-reply@einvoice.local>';

  /** How long before the upload due time staff are warned. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(47)
  DEADLINE_WARN_HOURS = 8;

  /** A channel with fewer numbers left than this for the current period raises `numbers.low`. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(1_000_000)
  NUMBERS_LOW_THRESHOLD = 100;

  /** Staff e-mail addresses for alerts, comma-separated; e-mail needs SMTP_URL too. */
  @IsOptional() @Matches(/^\s*[^\s,@]+@[^\s,@]+\.[^\s,@]+(\s*,\s*[^\s,@]+@[^\s,@]+\.[^\s,@]+)*\s*$/, { message: 'ALERT_EMAILS must be e-mail addresses separated by commas' })
  ALERT_EMAILS?: string;

  @IsOptional() @Matches(/^https?:\/\/.+/, { message: 'ALERT_WEBHOOK_URL must be an http:// or https:// URL' })
  ALERT_WEBHOOK_URL?: string;

  /** The HMAC-SHA256 key the webhook's receiver verifies signatures with. */
  @IsOptional() @IsString() @MinLength(16, { message: 'ALERT_WEBHOOK_SECRET must be at least 16 characters' })
  ALERT_WEBHOOK_SECRET?: string;

  /** Alerts of one kind within this many seconds of a notice are sent together as one summary. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(3600)
  ALERT_BURST_SECONDS = 60;

  /** The first retry of a failed delivery waits this long; each further one twice as long (at most 10 minutes). */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(600_000)
  ALERT_RETRY_BASE_MS = 2000;
}

/** The validated configuration; an abstract class so Nest can inject it by type. */
export abstract class AppConfig {
  declare port: number;
  /** Express's `trust proxy`: hops, or the proxies' addresses; undefined trusts none. */
  declare trustProxy?: number | string[];
  declare databaseUrl?: string;
  declare temporal: { address?: string; namespace: string; taskQueue: string; devPort: number; uiPort: number; uiUrl?: string };
  declare credentialsKey?: Buffer;
  declare adminApiKey?: string;
  declare dataDir: string;
  declare embeddedPgPort: number;
  declare logFormat: 'json' | 'pretty';
  declare turnkey: { dir: string; databaseUrl?: string; simulator: boolean; silentAfterMs: number; quickVerdictMs: number };
  declare mail: { smtpUrl?: string; from: string };
  declare deadlineWarnMs: number;
  declare numbersLowThreshold: number;
  declare alerts: { emails: string[]; webhook?: { url: string; secret: string }; burstMs: number; retryBaseMs: number };
}

export class ConfigError extends Error {}

/** Reads and validates the environment; the error names each bad variable and the rule it breaks. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const plain = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = plainToInstance(Environment, plain);
  const problems = validateSync(parsed, { whitelist: true });
  if (problems.length > 0) {
    const lines = problems.map((p) => `  ${p.property}=${JSON.stringify(p.value)}: ${Object.values(p.constraints ?? {}).join('; ')}`);
    throw new ConfigError(`Invalid environment:\n${lines.join('\n')}`);
  }
  if (parsed.ALERT_WEBHOOK_URL && !parsed.ALERT_WEBHOOK_SECRET) {
    throw new ConfigError('Invalid environment:\n  ALERT_WEBHOOK_SECRET: required when ALERT_WEBHOOK_URL is set (the receiver verifies signatures with it)');
  }
  return {
    port: parsed.PORT,
    trustProxy: parsed.TRUST_PROXY === undefined ? undefined : /^\d+$/.test(parsed.TRUST_PROXY) ? Number(parsed.TRUST_PROXY) : parsed.TRUST_PROXY.split(',').map((entry) => entry.trim()),
    databaseUrl: parsed.DATABASE_URL,
    temporal: {
      address: parsed.TEMPORAL_ADDRESS,
      namespace: parsed.TEMPORAL_NAMESPACE,
      taskQueue: parsed.TEMPORAL_TASK_QUEUE,
      devPort: parsed.TEMPORAL_DEV_PORT,
      uiPort: parsed.TEMPORAL_UI_PORT,
      uiUrl: parsed.TEMPORAL_UI_URL?.replace(/\/+$/, ''),
    },
    credentialsKey: parsed.CREDENTIALS_KEY ? Buffer.from(parsed.CREDENTIALS_KEY, 'base64') : undefined,
    adminApiKey: parsed.ADMIN_API_KEY,
    dataDir: resolve(parsed.DATA_DIR),
    embeddedPgPort: parsed.EMBEDDED_PG_PORT,
    logFormat: parsed.LOG_FORMAT,
    turnkey: {
      dir: resolve(parsed.TURNKEY_DIR ?? join(parsed.DATA_DIR, 'turnkey')),
      databaseUrl: parsed.TURNKEY_DATABASE_URL,
      simulator: parsed.TURNKEY_SIMULATOR === 'on',
      silentAfterMs: parsed.TURNKEY_SILENT_SECONDS * 1000,
      quickVerdictMs: parsed.TURNKEY_QUICK_VERDICT_MS,
    },
    mail: { smtpUrl: parsed.SMTP_URL, from: parsed.MAIL_FROM },
    deadlineWarnMs: parsed.DEADLINE_WARN_HOURS * 3600 * 1000,
    numbersLowThreshold: parsed.NUMBERS_LOW_THRESHOLD,
    alerts: {
      emails: parsed.ALERT_EMAILS ? parsed.ALERT_EMAILS.split(',').map((address) => address.trim()) : [],
      webhook: parsed.ALERT_WEBHOOK_URL ? { url: parsed.ALERT_WEBHOOK_URL, secret: parsed.ALERT_WEBHOOK_SECRET! } : undefined,
      burstMs: parsed.ALERT_BURST_SECONDS * 1000,
      retryBaseMs: parsed.ALERT_RETRY_BASE_MS,
    },
  };
}
