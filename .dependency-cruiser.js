/**
 * The dependency rule of the house (STYLE.md, "The shape of the house"), checked by `npm run check:deps`.
 *
 * Each folder imports only from the ones below it, relative imports and type-only imports included:
 *   tier 4  apps/** (other apps only through apps/core/), scripts/**
 *   tier 3  activities/**, workflows/** (workflows see activities only as `import type`)
 *   tier 2  libs/modules/**
 *   tier 1  libs/adapters/**, libs/infra/**, libs/contracts/**, which may import each other and migrations/
 *   tier 0  libs/domain/**: nothing of the project outside itself, no I/O or framework package
 * and beside them: migrations/ import only each other; libs/dev/ may import any libs/ folder and is imported only by
 * apps/local and apps/cli; test/ and bench/ may import anything but each other (the kits they share live in libs/dev)
 * and are imported by nothing in production.
 *
 * Production code is what tsconfig.build.json compiles: the folders above less the `*.spec.ts` tests beside the
 * code. Those tests still obey their folder's layer, but like test/ they may use the kits in libs/dev and test/.
 *
 * Paths are relative to the folder the cruiser runs in (the repository root; test/dependency-rule.test.ts runs the
 * same file on a planted tree under .tmp/). Every rule is an error: none is softened to let the tree pass.
 */

/** A regular expression that matches a path starting with one of the given folders. */
const under = (...folders) => `^(${folders.join('|')})/`;

/** An npm package, resolved into node_modules (its @types too) or left unresolved by name. */
const npm = (...names) => `(^|(^|/)node_modules/)(@types/)?(${names.join('|')})(/|$)`;

/** Every folder the project's code lives in. */
const PROJECT = under('apps', 'scripts', 'activities', 'workflows', 'libs', 'migrations', 'test', 'bench');

/** Targets that have rules of their own below; the layer rules leave them to those so each break is named once. */
const OWN_RULES = ['libs/dev', 'test', 'bench'];

const PRODUCTION = under('apps', 'scripts', 'activities', 'workflows', 'libs', 'migrations');
const SPEC = '[.]spec[.]ts$';

/** I/O and framework packages libs/domain may not use (node's own modules are caught as "core"). */
const IO_OR_FRAMEWORK = npm('pg', 'typeorm', 'exceljs', '@nestjs/[^/]+', '@temporalio/[^/]+');

/** A layer may import only the folders given (itself among them); the project's other folders are forbidden. */
const layer = (name, comment, from, allowed) => ({
  name,
  comment,
  severity: 'error',
  from: { path: from },
  to: { path: PROJECT, pathNot: under(...allowed, ...OWN_RULES) },
});

const TIER_0 = ['libs/domain'];
const TIER_1 = ['libs/adapters', 'libs/infra', 'libs/contracts', 'migrations', ...TIER_0];
const TIER_2 = ['libs/modules', ...TIER_1];

module.exports = {
  forbidden: [
    layer(
      'domain-imports-only-domain',
      'libs/domain is tier 0: it imports nothing of the project outside libs/domain.',
      under('libs/domain'),
      TIER_0,
    ),
    {
      name: 'domain-no-io-or-framework',
      comment: 'libs/domain is pure: no pg, typeorm, exceljs, @nestjs/* or @temporalio/* (node modules: next rule).',
      severity: 'error',
      from: { path: under('libs/domain') },
      to: { path: IO_OR_FRAMEWORK },
    },
    {
      name: 'domain-no-node-modules',
      comment: 'libs/domain is pure: no node core module (node:fs, crypto, path, …).',
      severity: 'error',
      from: { path: under('libs/domain') },
      to: { dependencyTypes: ['core'] },
    },
    layer(
      'contracts-import-only-domain',
      'libs/contracts is bundled into workflows: of the project it may import only libs/domain.',
      under('libs/contracts'),
      ['libs/contracts', 'libs/domain'],
    ),
    {
      name: 'contracts-npm-only-temporal-workflow',
      comment: 'libs/contracts is bundled into workflows: the only package it may import is @temporalio/workflow.',
      severity: 'error',
      from: { path: under('libs/contracts') },
      to: { path: '(^|/)node_modules/', pathNot: npm('@temporalio/workflow') },
    },
    {
      name: 'contracts-no-node-modules',
      comment: 'libs/contracts is bundled into workflows: no node core module.',
      severity: 'error',
      from: { path: under('libs/contracts') },
      to: { dependencyTypes: ['core'] },
    },
    layer(
      'adapters-infra-not-up',
      'libs/adapters and libs/infra are tier 1: they import each other, contracts, migrations and domain only.',
      under('libs/adapters', 'libs/infra'),
      TIER_1,
    ),
    layer(
      'modules-not-up',
      'libs/modules is tier 2: it imports itself, tier 1 (adapters, infra, contracts, migrations) and domain.',
      under('libs/modules'),
      TIER_2,
    ),
    {
      name: 'modules-only-through-faces',
      comment:
        'a module shows one face, its index.ts (services, queries, records, ports): from outside libs/modules/<a>/ nothing else of it may be imported, never its repositories.',
      severity: 'error',
      // $1 is the importing module's own folder, or empty (matching no folder) for code outside libs/modules.
      from: { path: '^(?:libs/modules/([^/]+)/|(?!libs/modules/[^/]+/))' },
      to: { path: '^libs/modules/[^/]+/', pathNot: ['^libs/modules/$1/', '^libs/modules/[^/]+/index[.]ts$'] },
    },
    {
      name: 'modules-no-temporal',
      comment: 'modules reach Temporal only through the ports of libs/adapters/temporal (LifecycleControl, ReconciliationControl, WorkflowStarter).',
      severity: 'error',
      from: { path: under('libs/modules') },
      to: { path: npm('@temporalio/[^/]+') },
    },
    layer(
      'activities-not-up',
      'activities are tier 3: they call into libs/modules and below, never into workflows or apps.',
      under('activities'),
      ['activities', ...TIER_2],
    ),
    layer(
      'workflows-import-only-domain-contracts-activity-types',
      'workflows are deterministic: of the project they import workflows, domain, contracts and activity types.',
      under('workflows'),
      ['workflows', 'libs/domain', 'libs/contracts', 'activities'],
    ),
    {
      name: 'workflows-activities-type-only',
      comment: 'workflows see activities only through `import type`: a value import runs activity code in the sandbox.',
      severity: 'error',
      from: { path: under('workflows') },
      to: { path: under('activities'), dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'workflows-npm-only-temporal-workflow',
      comment: 'workflows are deterministic: the only package they may import is @temporalio/workflow.',
      severity: 'error',
      from: { path: under('workflows') },
      to: { path: '(^|/)node_modules/', pathNot: npm('@temporalio/workflow') },
    },
    {
      name: 'workflows-no-node-modules',
      comment: 'workflows are deterministic: no node core module (node:*, fs, crypto, …).',
      severity: 'error',
      from: { path: under('workflows') },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'apps-share-only-apps-core',
      comment: 'an app imports another app only through the shared wiring in apps/core/; the local launcher alone starts the other apps in its process.',
      severity: 'error',
      from: { path: '^apps/([^/]+)/', pathNot: '^apps/local/' },
      to: { path: '^apps/', pathNot: '^apps/(core|$1)/' },
    },
    layer(
      'apps-not-to-scripts',
      'apps are tier 4: they import the tiers below, not scripts/.',
      under('apps'),
      ['apps', 'activities', 'workflows', ...TIER_2],
    ),
    layer(
      'scripts-not-to-apps',
      'scripts are tier 4: they import the tiers below, not apps/.',
      under('scripts'),
      ['scripts', 'activities', 'workflows', ...TIER_2],
    ),
    layer(
      'migrations-import-only-migrations',
      'migrations are append-only history: they import nothing of the project except each other.',
      under('migrations'),
      ['migrations'],
    ),
    {
      name: 'libs-dev-imports-only-libs',
      comment: 'libs/dev (embedded parts, test and bench kits) may import any libs/ folder, nothing else.',
      severity: 'error',
      from: { path: under('libs/dev') },
      to: { path: PROJECT, pathNot: under('libs') },
    },
    {
      name: 'no-production-imports-libs-dev',
      comment: 'libs/dev serves `npm start`, tests and benchmarks: in production only apps/local and apps/cli use it.',
      severity: 'error',
      from: { path: PRODUCTION, pathNot: [under('libs/dev', 'apps/local', 'apps/cli'), SPEC] },
      to: { path: under('libs/dev') },
    },
    {
      name: 'no-production-imports-test-or-bench',
      comment: 'production code never imports test/ or bench/.',
      severity: 'error',
      from: { path: PRODUCTION, pathNot: [under('libs/dev'), SPEC] },
      to: { path: under('test', 'bench') },
    },
    {
      name: 'test-and-bench-share-kits-through-libs-dev',
      comment: 'test/ and bench/ do not import each other: a kit both need lives in libs/dev.',
      severity: 'error',
      from: { path: under('test', 'bench') },
      to: { path: under('test', 'bench'), pathNot: '^$1/' },
    },
    {
      name: 'libs-folder-outside-the-layers',
      comment: 'every folder of libs/ has a place in the layers; a new one needs a rule here before code goes in it.',
      severity: 'error',
      from: { path: '^libs/', pathNot: under('libs/(domain|modules|adapters|infra|contracts|dev)') },
      to: {},
    },
    {
      name: 'not-to-unresolvable',
      comment: 'an import the cruiser cannot resolve cannot be checked against the layers.',
      severity: 'error',
      from: { path: PROJECT },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: '(^|/)node_modules/' },
    // Not node_modules: a dependency on an excluded module is dropped, and the package rules need to see them.
    exclude: { path: '(^|/)(dist|coverage|[.]data|[.]tmp)/' },
    // Type-only imports are dependencies too; they are the only way workflows may see activities.
    tsPreCompilationDeps: true,
    // The project's tsconfig.json, relative to the folder the cruiser runs in (the planted tree passes --ts-config).
    tsConfig: { fileName: 'tsconfig.json' },
    combinedDependencies: false,
    skipAnalysisNotInRules: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
