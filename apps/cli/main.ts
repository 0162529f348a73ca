import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../../libs/infra/config/config';
import { startLocalStack } from '../../libs/dev/local-stack';
import { openDatabase } from '../../libs/infra/persistence/data-source';
import { CredentialsCipher } from '../../libs/adapters/crypto/credentials-cipher';
import { SellersService } from '../../libs/modules/sellers/sellers.service';

const USAGE = `usage: npm run cli -- create-admin-key --name <who or what uses it>

Creates an admin API key and prints it once. Uses DATABASE_URL, or the embedded database of 'npm start'
(started for the moment if the service is not running).`;

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { name: { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help || positionals[0] !== 'create-admin-key' || !values.name?.trim()) {
    console.error(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const stack = await startLocalStack(loadConfig(), (line) => console.error(line), { temporal: false });
  try {
    const db = await openDatabase(stack.config.databaseUrl!, { poolSize: 1 });
    try {
      const sellers = new SellersService(db, new CredentialsCipher(stack.config.credentialsKey!));
      const { key, record } = await sellers.createApiKey({ role: 'admin', name: values.name.trim() });
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
