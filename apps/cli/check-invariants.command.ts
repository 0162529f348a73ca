import { Client, Connection } from '@temporalio/client';
import { AppConfig } from '../../libs/infra/config/config';
import { createDataSource } from '../../libs/infra/persistence/data-source';
import { TemporalLifecycleLookup } from '../../libs/adapters/temporal/lifecycle-lookup';
import { InvariantReport, InvariantsChecker } from '../../libs/modules/invariants';

/**
 * Which Temporal server to ask about lifecycle workflows: TEMPORAL_ADDRESS when it is set (it must answer), else the
 * dev server of `npm start` on TEMPORAL_DEV_PORT if it answers within 2 s; else none, and that check is skipped.
 */
async function connectTemporal(config: AppConfig, log: (line: string) => void): Promise<Connection | undefined> {
  const given = config.temporal.address;
  const address = given ?? `127.0.0.1:${config.temporal.devPort}`;
  try {
    return await Connection.connect({ address, connectTimeout: given ? 10_000 : 2000 });
  } catch (error) {
    if (given) throw new Error(`TEMPORAL_ADDRESS=${given} does not answer: ${error}`);
    log(`no Temporal at ${address} (TEMPORAL_ADDRESS unset, the local dev server is not up): lifecycle workflows not checked`);
    return undefined;
  }
}

/** `npm run check:invariants`: prints every violation; the exit code is 1 when there is one, else 0. */
export async function checkInvariantsCommand(config: AppConfig, log: (line: string) => void): Promise<number> {
  // Read only: no migrations run, so any database of the service can be checked as it is.
  const db = await createDataSource(config.databaseUrl!, { poolSize: 2 }).initialize();
  const connection = await connectTemporal(config, log).catch(async (error) => {
    await db.destroy();
    throw error;
  });
  let report: InvariantReport;
  try {
    const lookup = connection && new TemporalLifecycleLookup(new Client({ connection, namespace: config.temporal.namespace }));
    report = await new InvariantsChecker(db).check(lookup);
  } finally {
    await connection?.close();
    await db.destroy();
  }
  for (const v of report.violations) console.log(`${v.invariant}\t${v.subject}\t${v.message}`);
  for (const s of report.skipped) log(`skipped ${s.invariant}: ${s.reason}`);
  log(`${report.checked.length} invariants checked, ${report.skipped.length} skipped: ${report.violations.length} violation(s)`);
  return report.violations.length > 0 ? 1 : 0;
}
