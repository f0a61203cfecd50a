// Import-cycle check for src/ (npm run lint): a cycle means two modules cannot be understood or moved apart.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules must not import each other in a circle (for example protocol/messages <-> lmMessages, or handlers through studio.worker.ts).',
      // zustand's documented slices pattern: each slice types itself with the combined StudioState (type-only).
      from: { pathNot: '^src/state/slices/' },
      // A cycle made only of `import type` edges is erased at build time; the ones that count run.
      to: { circular: true, pathNot: '^src/state/slices/', viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    exclude: { path: ['node_modules', 'dist', 'public'] },
  },
};
