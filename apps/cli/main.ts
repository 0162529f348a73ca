import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../../libs/infra/config/config';
import { startLocalStack } from '../../libs/dev/local-stack';
import { openDatabase } from '../../libs/infra/persistence/data-source';
import { CredentialsCipher } from '../../libs/adapters/crypto/credentials-cipher';
import { SellersService } from '../../libs/modules/sellers';
import { checkInvariantsCommand } from './check-invariants.command';

const USAGE = `usage: npm run cli -- create-admin-key --name <who or what uses it>
       npm run cli -- check-invariants      (also: npm run check:invariants)

create-admin-key creates an admin API key and prints it once. check-invariants lists every broken invariant of
the database (exit code 1 if any); it asks TEMPORAL_ADDRESS, else the local dev server if it is up, about lifecycle
workflows. Both use DATABASE_URL, or the embedded database of 'npm start' (started for the moment if the service
is not running).`;

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { name: { type: 'string' }, help: { type: 'boolean' } } });
  const command = positionals[0];
  if (values.help || !(command === 'check-invariants' || (command === 'create-admin-key' && values.name?.trim()))) {
    console.error(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const log = (line: string) => console.error(line);
  const stack = await startLocalStack(loadConfig(), log, { temporal: false });
  try {
    if (command === 'check-invariants') {
      process.exitCode = await checkInvariantsCommand(stack.config, log);
      return;
    }
    const db = await openDatabase(stack.config.databaseUrl!, { poolSize: 1 });
    try {
      const sellers = new SellersService(db, new CredentialsCipher(stack.config.credentialsKey!));
      const { key, record } = await sellers.createApiKey({ role: 'admin', name: values.name!.trim() });
      console.log(`admin key '${record.name}' (${record.id}):\n${key}\nStore it now: only its hash is kept.`);
    } finally {
      await db.destroy();
    }
  } finally {
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
