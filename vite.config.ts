/// <reference types="vitest/config" />
// Vite build + dev server, and the Vitest block for unit tests.
// The app is served cross-origin isolated (COOP/COEP) so the tfjs WASM backend may use threads, and under a strict
// Content-Security-Policy (src/app/contentSecurityPolicy.ts): as a response header here, and as a <meta> in the
// built index.html for static hosting. STUDIO_HUB_ORIGINS adds hub mirrors to connect-src at build time.
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { contentSecurityPolicy, HEADER_ONLY_DIRECTIVES } from './src/app/contentSecurityPolicy';
import { VitePWA } from 'vite-plugin-pwa';

// Installable and offline (issue 14): a Workbox service worker precaches the app shell, the worker bundle, the
// tfjs WASM binaries and the offline demo model, so after the first visit the studio opens and trains with no
// network. Registered by src/app/serviceWorker.ts (no inline script, same origin, CSP-friendly); a new version
// waits until the user accepts the update prompt.
const pwa = VitePWA({
  registerType: 'prompt',
  injectRegister: false,
  filename: 'sw.js',
  manifest: {
    name: 'Fine-tuning Studio',
    short_name: 'FT Studio',
    description: 'Fine-tune a LoRA adapter on your labeled text, in the browser. Your data never leaves this machine.',
    start_url: '/',
    scope: '/',
    display: 'standalone',
    background_color: '#f5f6f8',
    theme_color: '#111827',
    icons: [{ src: '/favicon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
  },
  workbox: {
    globPatterns: ['**/*.{js,css,html,svg,wasm,json,txt,safetensors,webmanifest}'],
    // transformers.js's ONNX runtime (27 MB) is never loaded: the studio uses its tokenizers only.
    globIgnores: ['**/ort-wasm-*'],
    // The offline default model's weights are ~19 MB.
    maximumFileSizeToCacheInBytes: 32 * 1024 * 1024,
    navigateFallback: 'index.html',
    // Optional model files the app does not ship (e.g. a shard index) must read as "absent" offline too, not as a
    // network failure: a failed fetch under /models/ answers 404, as the server would.
    runtimeCaching: [
      {
        urlPattern: /\/models\//,
        handler: 'NetworkOnly',
        options: { plugins: [{ handlerDidError: async () => new Response('', { status: 404, statusText: 'Not shipped (offline)' }) }] },
      },
    ],
    cleanupOutdatedCaches: true,
  },
});

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
  plugins: [react(), cspMeta(), pwa],
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
