import { execFileSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const MODULE = 'github.com/temporalio/cli';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A per-user cache outside the clone, so every fresh clone and CI run on this machine reuses one build. */
export function temporalCliCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'einvoice', 'temporal-cli', TEMPORAL_CLI_VERSION);
}

/**
 * The `temporal` CLI: TEMPORAL_CLI_PATH, else `temporal` on PATH, else the cached build, else built now with Go
 * (once per machine; later tags than v1.5.1 carry a `replace` directive that `go install` refuses, so a
 * throwaway module that requires the CLI is the fallback).
 */
export function findOrBuildTemporalCli(log: (message: string) => void = () => undefined): string {
  const explicit = process.env.TEMPORAL_CLI_PATH;
  if (explicit) {
    if (!isExecutable(explicit)) throw new Error(`TEMPORAL_CLI_PATH=${explicit} is not an executable file`);
    return explicit;
  }
  const onPath = (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'temporal')).find(isExecutable);
  if (onPath) return onPath;
  const dir = temporalCliCacheDir();
  const cached = join(dir, 'temporal');
  if (isExecutable(cached)) return cached;

  mkdirSync(dir, { recursive: true });
  log(`building the temporal CLI ${TEMPORAL_CLI_VERSION} with Go into ${dir} (once per machine, a few minutes)`);
  const env = { ...process.env, GOBIN: dir, GOFLAGS: '-mod=mod' };
  try {
    execFileSync('go', ['install', `${MODULE}/cmd/temporal@${TEMPORAL_CLI_VERSION}`], { env, stdio: 'inherit' });
  } catch (error) {
    log(`go install refused (${(error as Error).message}); building from a throwaway module instead`);
    const work = mkdtempSync(join(tmpdir(), 'temporal-cli-'));
    try {
      writeFileSync(join(work, 'go.mod'), 'module temporalclibuild\n\ngo 1.23\n');
      writeFileSync(join(work, 'tools.go'), `//go:build tools\n\npackage tools\n\nimport _ "${MODULE}/cmd/temporal"\n`);
      execFileSync('go', ['get', `${MODULE}@${TEMPORAL_CLI_VERSION}`], { cwd: work, env, stdio: 'inherit' });
      execFileSync('go', ['build', '-o', cached, `${MODULE}/cmd/temporal`], { cwd: work, env, stdio: 'inherit' });
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  if (!isExecutable(cached)) throw new Error(`building the temporal CLI did not produce ${cached}`);
  return cached;
}

if (require.main === module) {
  console.log(findOrBuildTemporalCli((message) => console.error(message)));
}
