import 'reflect-metadata';
import { TurnkeySimulator } from '../../apps/turnkey-simulator/turnkey-simulator';
import { createDataSource } from '../../libs/infra/persistence/data-source';

/**
 * The MOF platform simulator in a process of its own, as apps/turnkey-simulator/main.ts runs it, but polling every
 * 100 ms as the bench's in-process one does (TURNKEY_DIR, DATABASE_URL).
 */
async function main(): Promise<void> {
  const db = await createDataSource(process.env.DATABASE_URL!, { poolSize: 2 }).initialize();
  const simulator = new TurnkeySimulator(process.env.TURNKEY_DIR!, db, { onError: (error) => console.error('turnkey simulator:', error) });
  simulator.start(100);
  process.once('SIGTERM', () => {
    void simulator
      .stop()
      .then(() => db.destroy())
      .then(() => process.exit(0));
  });
  console.log('simulator started');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
