import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { Browser, Page, chromium } from 'playwright-core';

const ROOT = resolve(__dirname, '..', '..');
/** Screenshots every browser test leaves behind (gitignored; CI keeps them as artifacts). */
export const ARTIFACTS = join(ROOT, 'test-artifacts');

/** Debian's chromium (`apt-get install chromium`); CHROMIUM_PATH points elsewhere. */
export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path)) throw new Error(`no Chromium at ${path}: apt-get install -y chromium, or set CHROMIUM_PATH`);
  return path;
}

/** The page's script as the API serves it: built from apps/api/dashboard/web, so the test sees the current source. */
export function buildDashboardScript(): void {
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'apps/api/dashboard/web/tsconfig.json')], { stdio: 'inherit' });
}

export async function launchBrowser(): Promise<Browser> {
  // --no-sandbox: CI containers run as root, where Chromium's sandbox cannot start.
  return chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/** The Nest app on a real port of its own, for the browser. */
export async function listen(app: INestApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return `http://127.0.0.1:${address.port}`;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Signs in through the form, as staff do: paste the key, press 登入. */
export async function signIn(page: Page, baseUrl: string, key: string): Promise<void> {
  await page.goto(baseUrl);
  await page.getByLabel('API 金鑰 API key').fill(key);
  await page.getByRole('button', { name: '登入 Sign in' }).click();
  await page.getByTestId('status').getByText(/更新於 Updated/).waitFor();
}
