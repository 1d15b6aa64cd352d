// dependency-cruiser rules (kept beside the eslint config; `npm run lint` passes it with --config):
// the boundaries ARCHITECTURE.md draws, checked on every `npm test`.
// Cycles between module folders (not only between files) are found by tests/unit/boundaries/folder-cycles.test.ts
// from this configuration's JSON output.
const FRAMEWORK = '(^|/)node_modules/(@nestjs|express|better-sqlite3|@eventstore|class-validator|class-transformer|multer|cookie-parser)/';

const PURE_FORBIDS = [FRAMEWORK, '^src/event-store/', '^src/event-sourcing/clock\\.ts$', '\\.(module|controller)\\.ts$', '^src/(http|web|cli)/'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No file imports itself back through others (a type-only import back is harmless at run time and allowed).',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'pure-domain',
      severity: 'error',
      comment: 'Deciders and projections reach nothing of NestJS, the HTTP layer, the store adapters, the clock or a Nest module or controller, not even through other files.',
      from: { path: ['\\.decider\\.ts$', '^projections/'] },
      to: { reachable: true, path: PURE_FORBIDS },
    },
    {
      name: 'pure-domain-direct',
      severity: 'error',
      comment: 'No decider or projection imports any of those itself.',
      from: { path: ['\\.decider\\.ts$', '^projections/'] },
      to: { path: PURE_FORBIDS },
    },
    {
      name: 'adapters-behind-the-port',
      severity: 'error',
      comment: 'Only the event-store module and the CLI that opens a store by its location know the adapters; everything else asks the EventStore port (EVENT_STORE). The SQLite fault mapping also serves the read-model file.',
      from: { path: '^(src|projections)/', pathNot: ['^src/event-store/', '^src/cli/'] },
      to: { path: '^src/event-store/(sqlite|esdb)/', pathNot: '^src/event-store/sqlite/sqlite-faults\\.ts$' },
    },
    {
      name: 'no-upward-imports',
      severity: 'error',
      comment: 'The entry points and the application module import the features, never the reverse (the CLI, an entry point itself, may boot the application).',
      from: { path: '^(src|projections)/', pathNot: ['^src/(main|cli|server|app\\.module)\\.ts$', '^src/cli/', '^src/demo/'] },
      to: { path: '^src/(main|cli|server|app\\.module)\\.ts$' },
    },
    {
      name: 'core-imports-no-feature',
      severity: 'error',
      comment: 'The event-sourcing core (port, decider type, hash chain, errors) is imported by the features, and imports none of them.',
      from: { path: '^src/event-sourcing/' },
      to: { path: '^(src/(?!event-sourcing/|i18n/)|projections/)' },
    },
    {
      name: 'projections-below-read-models',
      severity: 'error',
      comment: 'The read-model runner feeds the projections; projections never import the read-model side (read-models <-> projections cycle).',
      from: { path: '^projections/' },
      to: { path: '^src/read-models/' },
    },
    {
      name: 'reports-above-ledgers',
      severity: 'error',
      comment: 'Reports read the ledgers; ledgers never import reports (ledgers <-> reports cycle).',
      from: { path: '^src/ledgers/' },
      to: { path: '^src/reports/' },
    },
    {
      name: 'no-transport-types-in-commands',
      severity: 'error',
      comment: 'Commands, handlers and deciders take plain record types, not the HTTP DTO classes (class-validator, swagger).',
      from: { path: ['\\.(command|decider)\\.ts$'] },
      to: { path: ['-dtos\\.ts$', '\\.dto\\.ts$'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|tests)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    moduleSystems: ['cjs', 'es6'],
  },
};
