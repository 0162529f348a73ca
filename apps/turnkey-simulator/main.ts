import 'reflect-metadata';
import { createDataSource } from '../../libs/infra/persistence/data-source';
import { TurnkeySimulator } from './turnkey-simulator';

/**
 * The MOF platform simulator as a process of its own, for development: consumes the Turnkey folders under
 * TURNKEY_DIR and writes outcomes to DATABASE_URL's turnkey_message_log. It never migrates: the service owns the schema.
 * Steer it while it runs through `$TURNKEY_DIR/simulator.json`, e.g. `{"outage": true}` or `{"rejectNext": 2}`.
 */
function requiredEnv(name: string, meaning: string): string {
  const value = process.env[name]?.trim();
  if (!value) throw new Error(`${name} is not set: it must name ${meaning}`);
  return value;
}

const line = (record: Record<string, unknown>) => JSON.stringify({ time: new Date().toISOString(), ...record });

async function main(): Promise<void> {
  const turnkeyDir = requiredEnv('TURNKEY_DIR', 'the Turnkey working folder (the one holding UpCast/)');
  const databaseUrl = requiredEnv('DATABASE_URL', 'the PostgreSQL database with the turnkey_message_log table');
  const db = await createDataSource(databaseUrl, { poolSize: 2 }).initialize();
  const simulator = new TurnkeySimulator(turnkeyDir, db, {
    onProcessed: (result) => console.log(line({ event: 'processed', ...result })),
    onError: (error) => console.error(line({ event: 'error', message: error instanceof Error ? error.message : String(error) })),
  });
  simulator.start();
  console.log(line({ event: 'started', turnkeyDir }));

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(line({ event: 'stopping', signal }));
    await simulator.stop();
    await db.destroy();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      shutdown(signal).catch((error) => {
        console.error(error);
        process.exitCode = 1;
      });
    });
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
