import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The dependency rule (.dependency-cruiser.js, run by `npm run check:deps` in `npm test`): a small tree with one
 * wrong-way import per rule must be reported rule by rule, the imports the layers allow must not be, and the real
 * tree must have no violation at all.
 *
 * The planted tree goes under .tmp/ in the repository, so that its packages (pg, @temporalio/workflow) resolve from
 * the project's node_modules while tsc, eslint, jest and the real check all leave .tmp/ alone.
 */
const ROOT = join(__dirname, '..');
const CONFIG = join(ROOT, '.dependency-cruiser.js');
const DEPCRUISE = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

interface Violation {
  from: string;
  to: string;
  rule: { name: string; severity: string };
}

/** Reads the violations out of a JSON cruise result, or fails with what the cruiser said instead. */
function violationsOf(run: ReturnType<typeof spawnSync>): Violation[] {
  if (run.error) throw run.error;
  try {
    return (JSON.parse(String(run.stdout)) as { summary: { violations: Violation[] } }).summary.violations;
  } catch {
    throw new Error(`dependency-cruiser gave no result (exit ${run.status}):\n${run.stderr}\n${run.stdout}`);
  }
}

const describeViolation = (v: Violation) => `${v.from} → ${v.to} (${v.rule.name})`;

/**
 * Imports the layers allow: the planted tree's targets, and controls no rule may flag. The files are only read by the
 * cruiser, never compiled, so they hold their import lines alone.
 */
const ALLOWED: Record<string, string[]> = {
  'libs/domain/ban.ts': [`import { create } from 'xmlbuilder2';`],
  'libs/domain/uses-domain.ts': [`import { ban } from './ban';`],
  'libs/contracts/ok.ts': [
    `import { defineQuery } from '@temporalio/workflow';`,
    `import { ban } from '../domain/ban';`,
  ],
  'libs/adapters/ok.ts': [
    `import { readFileSync } from 'node:fs';`,
    `import { Pool } from 'pg';`,
    `import { q } from '../contracts/ok';`,
    `import { init } from '../../migrations/1-init';`,
    `import { cfg } from '../infra/cfg';`,
  ],
  'libs/adapters/ok.spec.ts': [
    `import { kit } from '../dev/kit';`,
    `import { helper } from '../../test/support/helper';`,
  ],
  'libs/infra/cfg.ts': [`import type { ok } from '../adapters/ok';`],
  'libs/modules/y.ts': [
    `import { DataSource } from 'typeorm';`,
    `import { ok } from '../adapters/ok';`,
    `import { ban } from '../domain/ban';`,
  ],
  'libs/modules/z.ts': [`import { y } from './y';`],
  'libs/modules/inv/index.ts': [`import { s } from './s';`],
  'libs/modules/inv/s.ts': [`import { DataSource } from 'typeorm';`, `import { starter } from '../../adapters/ok';`],
  'libs/modules/inv/s.spec.ts': [`import { s } from './s';`],
  'libs/modules/ord/o.ts': [`import { s } from '../inv';`, `import { t } from './t';`],
  'libs/modules/ord/t.ts': [`import { s } from '../inv/index';`],
  'libs/dev/kit.ts': [`import { y } from '../modules/y';`],
  'migrations/1-init.ts': [`import { MigrationInterface } from 'typeorm';`],
  'migrations/index.ts': [`import { init } from './1-init';`],
  'activities/a.activities.ts': [
    `import { Context } from '@temporalio/activity';`,
    `import { y } from '../libs/modules/y';`,
  ],
  'workflows/ok.workflow.ts': [
    `import { proxyActivities } from '@temporalio/workflow';`,
    `import type { Acts } from '../activities/a.activities';`,
    `import { type createActivities } from '../activities/a.activities';`,
    `import { ban } from '../libs/domain/ban';`,
    `import { q } from '../libs/contracts/ok';`,
  ],
  'apps/core/wiring.ts': [`import { y } from '../../libs/modules/y';`, `import { s } from '../../libs/modules/inv';`],
  'apps/api/z.ts': [
    `import { Controller } from '@nestjs/common';`,
    `import { wiring } from '../core/wiring';`,
    `import { createActivities } from '../../activities/a.activities';`,
    `import { w } from '../../workflows/ok.workflow';`,
    `import { all } from '../../migrations';`,
  ],
  'apps/worker/q.ts': [`import { wiring } from '../core/wiring';`],
  'apps/local/main.ts': [`import { kit } from '../../libs/dev/kit';`],
  'apps/cli/main.ts': [`import { kit } from '../../libs/dev/kit';`],
  'test/support/helper.ts': [`import { z } from '../../apps/api/z';`, `import { kit } from '../../libs/dev/kit';`],
  'bench/b.bench.ts': [`import { kit } from '../libs/dev/kit';`, `import { s } from './support/s';`],
  'bench/support/s.ts': [`import { kit } from '../../libs/dev/kit';`],
  'scripts/migrate.ts': [`import { cfg } from '../libs/infra/cfg';`, `import { all } from '../migrations';`],
};

/** One wrong-way import per file, and the rule that must name it. */
const PLANTED: [file: string, imports: string, rule: string][] = [
  ['libs/domain/x.ts', `import { y } from '../modules/y';`, 'domain-imports-only-domain'],
  ['libs/domain/reads-files.ts', `import { readFileSync } from 'node:fs';`, 'domain-no-node-modules'],
  ['libs/domain/hashes.ts', `import { createHash } from 'crypto';`, 'domain-no-node-modules'],
  ['libs/domain/uses-orm.ts', `import { DataSource } from 'typeorm';`, 'domain-no-io-or-framework'],
  ['libs/domain/uses-nest.ts', `import { Injectable } from '@nestjs/common';`, 'domain-no-io-or-framework'],
  ['libs/domain/uses-temporal.ts', `import { sleep } from '@temporalio/workflow';`, 'domain-no-io-or-framework'],
  ['libs/domain/typo.ts', `import { nope } from './nope';`, 'not-to-unresolvable'],
  ['libs/contracts/c.ts', `import { ok } from '../adapters/ok';`, 'contracts-import-only-domain'],
  [
    'libs/contracts/c-client.ts',
    `import { Client } from '@temporalio/client';`,
    'contracts-npm-only-temporal-workflow',
  ],
  ['libs/contracts/c-path.ts', `import { join } from 'node:path';`, 'contracts-no-node-modules'],
  ['libs/adapters/up.ts', `import { y } from '../modules/y';`, 'adapters-infra-not-up'],
  ['libs/infra/up.ts', `import { createActivities } from '../../activities/a.activities';`, 'adapters-infra-not-up'],
  ['libs/modules/m.ts', `import { z } from '../../apps/api/z';`, 'modules-not-up'],
  ['libs/modules/types-up.ts', `import type { Acts } from '../../activities/a.activities';`, 'modules-not-up'],
  [
    'libs/modules/uses-test.ts',
    `import { helper } from '../../test/support/helper';`,
    'no-production-imports-test-or-bench',
  ],
  ['libs/modules/uses-bench.ts', `import { b } from '../../bench/b.bench';`, 'no-production-imports-test-or-bench'],
  ['libs/modules/ord/reaches-in.ts', `import { s } from '../inv/s';`, 'modules-only-through-faces'],
  ['apps/api/reaches-in.ts', `import { s } from '../../libs/modules/inv/s';`, 'modules-only-through-faces'],
  ['test/reaches-in.test.ts', `import { s } from '../libs/modules/inv/s';`, 'modules-only-through-faces'],
  ['libs/modules/ord/uses-temporal.ts', `import { Client } from '@temporalio/client';`, 'modules-no-temporal'],
  ['libs/modules/inv/types-temporal.ts', `import type { WorkflowHandle } from '@temporalio/client';`, 'modules-no-temporal'],
  ['activities/calls-workflow.ts', `import { w } from '../workflows/ok.workflow';`, 'activities-not-up'],
  ['activities/calls-app.ts', `import { q } from '../apps/worker/q';`, 'activities-not-up'],
  ['workflows/w.workflow.ts', `import { Client } from 'pg';`, 'workflows-npm-only-temporal-workflow'],
  [
    'workflows/client.workflow.ts',
    `import { Client } from '@temporalio/client';`,
    'workflows-npm-only-temporal-workflow',
  ],
  ['workflows/clock.workflow.ts', `import { hrtime } from 'node:process';`, 'workflows-no-node-modules'],
  [
    'workflows/value-import.workflow.ts',
    `import { createActivities } from '../activities/a.activities';`,
    'workflows-activities-type-only',
  ],
  [
    'workflows/mixed-import.workflow.ts',
    `import { type Acts, createActivities } from '../activities/a.activities';`,
    'workflows-activities-type-only',
  ],
  [
    'workflows/calls-module.workflow.ts',
    `import { y } from '../libs/modules/y';`,
    'workflows-import-only-domain-contracts-activity-types',
  ],
  [
    'workflows/calls-adapter.workflow.ts',
    `import type { ok } from '../libs/adapters/ok';`,
    'workflows-import-only-domain-contracts-activity-types',
  ],
  ['apps/api/reaches-worker.ts', `import { q } from '../worker/q';`, 'apps-share-only-apps-core'],
  ['apps/core/reaches-api.ts', `import { z } from '../api/z';`, 'apps-share-only-apps-core'],
  ['apps/api/runs-script.ts', `import { m } from '../../scripts/migrate';`, 'apps-not-to-scripts'],
  ['apps/worker/uses-dev.ts', `import { kit } from '../../libs/dev/kit';`, 'no-production-imports-libs-dev'],
  [
    'apps/api/uses-test.ts',
    `import { helper } from '../../test/support/helper';`,
    'no-production-imports-test-or-bench',
  ],
  ['libs/modules/uses-dev.ts', `import { kit } from '../dev/kit';`, 'no-production-imports-libs-dev'],
  ['scripts/wires.ts', `import { wiring } from '../apps/core/wiring';`, 'scripts-not-to-apps'],
  ['migrations/2-uses-domain.ts', `import { ban } from '../libs/domain/ban';`, 'migrations-import-only-migrations'],
  ['libs/dev/kit-up.ts', `import { z } from '../../apps/api/z';`, 'libs-dev-imports-only-libs'],
  ['libs/stray/s.ts', `import { ban } from '../domain/ban';`, 'libs-folder-outside-the-layers'],
  ['bench/uses-test.bench.ts', `import { helper } from '../test/support/helper';`, 'test-and-bench-share-kits-through-libs-dev'],
  ['test/uses-bench.test.ts', `import { b } from '../bench/b.bench';`, 'test-and-bench-share-kits-through-libs-dev'],
];

describe('the dependency rule', () => {
  let tree: string;

  beforeAll(() => {
    mkdirSync(join(ROOT, '.tmp'), { recursive: true });
    tree = mkdtempSync(join(ROOT, '.tmp', 'dependency-rule-'));
    const files = { ...ALLOWED, ...Object.fromEntries(PLANTED.map(([file, imports]) => [file, [imports]])) };
    for (const [file, lines] of Object.entries(files)) {
      mkdirSync(dirname(join(tree, file)), { recursive: true });
      writeFileSync(join(tree, file), `${lines.join('\n')}\n`);
    }
  });

  afterAll(() => {
    if (tree) rmSync(tree, { recursive: true, force: true });
  });

  it('reports each planted wrong-way import by its rule, and nothing the layers allow', () => {
    const args = ['--config', CONFIG, '--ts-config', join(ROOT, 'tsconfig.json'), '--output-type', 'json'];
    const run = spawnSync(process.execPath, [DEPCRUISE, ...readdirSync(tree), ...args], {
      cwd: tree,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const violations = violationsOf(run);
    const reported = violations.map((v) => `${v.from} ${v.rule.name}`);

    for (const [file, , rule] of PLANTED) expect(reported).toContain(`${file} ${rule}`);
    expect([...reported].sort()).toEqual(PLANTED.map(([file, , rule]) => `${file} ${rule}`).sort());
    // Errors, not warnings: each one fails `npm run check:deps` and so `npm test`.
    expect(new Set(violations.map((v) => v.rule.severity))).toEqual(new Set(['error']));
  });

  it('finds no violation in the real tree (npm run check:deps)', () => {
    const run = spawnSync('npm', ['run', '--silent', 'check:deps', '--', '--output-type', 'json'], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    expect(violationsOf(run).map(describeViolation)).toEqual([]);
  });
});
