import { randomBytes } from 'node:crypto';
import { isAbsolute } from 'node:path';
import { ConfigError, loadConfig } from './config';

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected loadConfig to reject the environment');
}

describe('loadConfig', () => {
  it('applies the defaults to an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      databaseUrl: undefined,
      temporal: { address: undefined, namespace: 'default', taskQueue: 'einvoice', devPort: 7233, uiPort: 8233 },
      credentialsKey: undefined,
      adminApiKey: undefined,
      embeddedPgPort: 54329,
      logFormat: 'json',
    });
    expect(isAbsolute(config.dataDir)).toBe(true);
  });

  it('reads the variables that are set', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgresql://einv@db:5432/einv',
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      TEMPORAL_TASK_QUEUE: 'einvoice-staging',
      ADMIN_API_KEY: 'a'.repeat(24),
      LOG_FORMAT: 'pretty',
    });
    expect(config).toMatchObject({
      port: 8080,
      databaseUrl: 'postgresql://einv@db:5432/einv',
      temporal: { address: 'temporal.internal:7233', taskQueue: 'einvoice-staging' },
      adminApiKey: 'a'.repeat(24),
      logFormat: 'pretty',
    });
  });

  it('treats empty-string variables as unset', () => {
    const config = loadConfig({ PORT: '', DATABASE_URL: '', CREDENTIALS_KEY: '', TEMPORAL_TASK_QUEUE: '', ADMIN_API_KEY: '' });
    expect(config).toMatchObject({ port: 3000, databaseUrl: undefined, credentialsKey: undefined, adminApiKey: undefined });
    expect(config.temporal.taskQueue).toBe('einvoice');
  });

  test.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '0'],
    ['PORT', '80.5'],
    ['PORT', '1e3'],
    ['PORT', '0x50'],
    ['DATABASE_URL', 'mysql://x'],
    ['TEMPORAL_ADDRESS', 'localhost'],
    ['CREDENTIALS_KEY', randomBytes(16).toString('base64')],
    ['CREDENTIALS_KEY', randomBytes(33).toString('base64')],
    ['CREDENTIALS_KEY', randomBytes(32).toString('hex')],
    ['ADMIN_API_KEY', 'short'],
    ['LOG_FORMAT', 'xml'],
    ['TURNKEY_QUICK_VERDICT_MS', '-1'],
    ['TURNKEY_QUICK_VERDICT_MS', '5001'],
    ['TEMPORAL_UI_URL', 'localhost:8233'],
    ['TRUST_PROXY', 'true'],
    ['TRUST_PROXY', 'proxy.internal'],
  ])('rejects %s=%j with a ConfigError naming it', (name, value) => {
    const error = configError({ [name]: value });
    expect(error.message).toContain(`${name}=`);
  });

  it('believes no proxy unless TRUST_PROXY names the hops or the proxies (never `true`: any client could name itself)', () => {
    expect(loadConfig({}).trustProxy).toBeUndefined();
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::1' }).trustProxy).toEqual(['loopback', '10.0.0.0/8', 'fd00::1']);
  });

  it('waits 2 s for a quick Turnkey verdict unless told otherwise (0: never)', () => {
    expect(loadConfig({}).turnkey.quickVerdictMs).toBe(2000);
    expect(loadConfig({ TURNKEY_QUICK_VERDICT_MS: '0' }).turnkey.quickVerdictMs).toBe(0);
  });

  it('links the dashboard to the Temporal UI only when TEMPORAL_UI_URL names one (trailing / dropped)', () => {
    expect(loadConfig({}).temporal.uiUrl).toBeUndefined();
    expect(loadConfig({ TEMPORAL_UI_URL: 'https://temporal.example.com/' }).temporal.uiUrl).toBe('https://temporal.example.com');
  });

  it('names every bad variable at once', () => {
    const { message } = configError({ PORT: 'abc', DATABASE_URL: 'mysql://x' });
    expect(message).toContain('PORT=');
    expect(message).toContain('DATABASE_URL=');
  });

  it('decodes a 32-byte base64 CREDENTIALS_KEY', () => {
    const key = randomBytes(32);
    const config = loadConfig({ CREDENTIALS_KEY: key.toString('base64') });
    expect(config.credentialsKey).toHaveLength(32);
    expect(config.credentialsKey?.equals(key)).toBe(true);
  });

  it('ignores variables it does not know', () => {
    expect(loadConfig({ HOME: '/root', PATH: '/bin', NODE_ENV: 'test' }).port).toBe(3000);
  });
});
