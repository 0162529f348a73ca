import { Client } from 'pg';

/** The same server, another database: for admin connections and the databases they create. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Does anything answer at this URL (a server already running, a server reachable at all)? */
export async function canConnect(url: string, timeoutMs = 1000): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** One short-lived connection for admin statements (CREATE / DROP DATABASE cannot run inside a pool's transaction). */
export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
