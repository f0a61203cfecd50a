/// <reference types="vitest/config" />
// Vite build + dev server, and the Vitest block for unit tests.
// The app is served cross-origin isolated (COOP/COEP) so the tfjs WASM backend may use threads, and under a strict
// Content-Security-Policy (src/app/contentSecurityPolicy.ts): as a response header here, and as a <meta> in the
// built index.html for static hosting. STUDIO_HUB_ORIGINS adds hub mirrors to connect-src at build time.
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { contentSecurityPolicy, HEADER_ONLY_DIRECTIVES } from './src/app/contentSecurityPolicy';

const extraConnectOrigins = (process.env.STUDIO_HUB_ORIGINS ?? '').split(/\s+/).filter(Boolean);
const policy = (dev: boolean) => contentSecurityPolicy({ extraConnectOrigins, dev });

const headers = (dev: boolean) => ({
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Content-Security-Policy': `${policy(dev)}; ${HEADER_ONLY_DIRECTIVES}`,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
});

/** The same policy as a <meta> in the built page (the dev server relies on its header). */
function cspMeta(): Plugin {
  return {
    name: 'studio-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: policy(false) }, injectTo: 'head-prepend' }],
  };
}

export default defineConfig({
  plugins: [react(), cspMeta()],
  server: { headers: headers(true) },
  preview: { headers: headers(false) },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  optimizeDeps: { exclude: ['@huggingface/transformers'] },
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    pool: 'forks',
  },
});
