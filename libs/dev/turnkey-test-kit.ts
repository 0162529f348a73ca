import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { openDatabase } from '../infra/persistence/data-source';
import { databaseUrl, withClient } from '../infra/persistence/postgres-admin';

/** The project's jest global setup names its server; run alone, the specs use the local default server. */
const ADMIN_URL = process.env.EINV_TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const admin = (sql: string) => withClient(ADMIN_URL, (client) => client.query(sql));

export interface ScratchDatabase {
  dataSource: DataSource;
  drop(): Promise<void>;
}

/** A fresh database migrated to the current schema, dropped (forcefully) afterwards. */
export async function createScratchDatabase(): Promise<ScratchDatabase> {
  const name = `turnkey_t_${randomBytes(5).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = databaseUrl(ADMIN_URL, name);
  let dataSource: DataSource | undefined;
  try {
    dataSource = await openDatabase(url, { poolSize: 5 });
  } catch (error) {
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    throw error;
  }
  const ds = dataSource;
  return {
    dataSource: ds,
    drop: async () => {
      if (ds.isInitialized) await ds.destroy();
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

export function scratchFolder(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'turnkey-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface F0401Fixture {
  number: string;
  date?: string;
  seller?: string;
  buyer?: string;
  namespace?: string;
  /** Elements of Main to leave out, to provoke schema errors. */
  omit?: string[];
  /** Swap InvoiceDate and InvoiceTime, to provoke an order error. */
  misorder?: boolean;
}

/**
 * A hand-written MIG 4.1 F0401 (B2C, printed) with every element in schema order. Values here never need escaping;
 * the production XML comes from the MIG builder, not from strings like this.
 */
export function f0401Xml(f: F0401Fixture): string {
  const el = (name: string, value: string) => (f.omit?.includes(name) ? '' : `<${name}>${value}</${name}>`);
  const dateTime = [el('InvoiceDate', f.date ?? '20250115'), el('InvoiceTime', '13:45:00')];
  if (f.misorder) dateTime.reverse();
  return `<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="${f.namespace ?? 'urn:GEINV:eInvoiceMessage:F0401:4.1'}">
  <Main>
    ${el('InvoiceNumber', f.number)}
    ${dateTime.join('\n    ')}
    <Seller><Identifier>${f.seller ?? '12345675'}</Identifier><Name>測試商店股份有限公司</Name><Address>臺北市中正區測試路1號</Address></Seller>
    <Buyer><Identifier>${f.buyer ?? '0000000000'}</Identifier><Name>消費者</Name></Buyer>
    ${el('InvoiceType', '07')}
    ${el('DonateMark', '0')}
    ${el('PrintMark', 'Y')}
    ${el('RandomNumber', '1234')}
  </Main>
  <Details>
    <ProductItem>
      <Description>咖啡豆 1kg</Description>
      <Quantity>2</Quantity>
      <UnitPrice>525</UnitPrice>
      <TaxType>1</TaxType>
      <Amount>1050</Amount>
      <SequenceNumber>001</SequenceNumber>
    </ProductItem>
  </Details>
  <Amount>
    <SalesAmount>1050</SalesAmount>
    <FreeTaxSalesAmount>0</FreeTaxSalesAmount>
    <ZeroTaxSalesAmount>0</ZeroTaxSalesAmount>
    <TaxType>1</TaxType>
    <TaxRate>0.05</TaxRate>
    <TaxAmount>0</TaxAmount>
    <TotalAmount>1050</TotalAmount>
  </Amount>
</Invoice>
`;
}
