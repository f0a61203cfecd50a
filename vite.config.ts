/// <reference types="vitest/config" />
// Vite build + dev server, and the Vitest block for unit tests.
// The app is served cross-origin isolated (COOP/COEP) so the tfjs WASM backend may use threads.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
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
    maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
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

const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react(), pwa],
  server: { headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
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
