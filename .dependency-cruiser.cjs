/** Layer rules: dependencies point inward (handlers -> api/jobs -> core <- adapters). */
module.exports = {
  forbidden: [
    {
      name: 'core-is-pure',
      comment: 'functions/core is the pure domain: no AWS SDK, no Hono, no file system, no adapters.',
      severity: 'error',
      from: { path: '^functions/core' },
      to: {
        path: [
          'node_modules/@aws-sdk/',
          'node_modules/@smithy/',
          'node_modules/hono/',
          'node_modules/@hono/',
          'node_modules/better-sqlite3/',
          '^functions/(adapters|api|handlers|jobs)/',
          '^lib/',
          '^bin/',
        ],
      },
    },
    {
      name: 'core-no-node-io',
      comment:
        'functions/core does no I/O: node:fs, node:net, node:http and child processes belong to adapters.',
      severity: 'error',
      from: { path: '^functions/core' },
      to: {
        dependencyTypes: ['core'],
        path: '^(node:)?(fs|fs/promises|net|http|https|child_process|dgram|worker_threads)$',
      },
    },
    {
      name: 'schemas-are-leaves',
      comment: 'schemas/ depend only on zod.',
      severity: 'error',
      from: { path: '^schemas' },
      to: { path: '^(functions|lib|bin)/' },
    },
    {
      name: 'adapters-do-not-reach-up',
      severity: 'error',
      from: { path: '^functions/adapters' },
      to: { path: '^functions/(api|handlers|jobs)/' },
    },
    {
      name: 'api-does-not-wire-adapters',
      comment: 'only handlers (composition roots) choose a backend.',
      severity: 'error',
      from: { path: '^functions/(api|jobs)' },
      to: { path: '^functions/adapters/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
