import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where `npm run build:web` writes the page's modules: `dist/web/` under the project root. */
function projectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

const scripts = new Map<string, string>();

/**
 * One built module of the page (`dashboard.js`, `panels.js`, …), or undefined for any other name. Read once: they
 * change only with a build, which restarts the API.
 */
export function dashboardScript(name: string): string | undefined {
  if (!/^[a-z][a-z-]*\.js$/.test(name)) return undefined;
  let script = scripts.get(name);
  if (script === undefined) {
    const file = join(projectRoot(__dirname), 'dist', 'web', name);
    if (!existsSync(file)) return undefined;
    script = readFileSync(file, 'utf8');
    scripts.set(name, script);
  }
  return script;
}
