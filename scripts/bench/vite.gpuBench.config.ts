// Bundles scripts/bench/gpuBench.ts with tfjs inside into one ES module for a bare Node (device-check.sh stage).
import { defineConfig } from 'vite';

export default defineConfig({
  publicDir: false,
  build: {
    ssr: 'scripts/bench/gpuBench.ts',
    outDir: process.env.GPU_BENCH_OUT ?? '.device/bundle',
    emptyOutDir: true,
    target: 'node20',
    rollupOptions: { output: { entryFileNames: 'gpuBench.mjs', inlineDynamicImports: true } },
  },
  ssr: { noExternal: true, target: 'node' },
});
