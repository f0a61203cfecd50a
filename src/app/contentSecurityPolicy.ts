// The page's Content-Security-Policy, one definition for the dev/preview response headers and the <meta> that
// static hosting gets (vite.config.ts injects both). Pure; also read back at runtime to tell the user when a
// chosen hub address is outside connect-src.
//
// connect-src choice: CSP is fixed when the page loads, so a hub typed into the page (?hub=) cannot widen it.
// Allowed: the page's own origin, the Hugging Face hosts (huggingface.co and its CDN subdomains, hf.co), and
// loopback on any port (http://localhost:*, http://127.0.0.1:*) for local mirrors, offline servers and the
// test hub. Any other mirror is added at build time with STUDIO_HUB_ORIGINS="https://mirror.example ..."; we
// deliberately do not allow `https:` (every host) for user-chosen hubs: that would let a hostile page address
// send data anywhere.

export const HF_ORIGINS = ['https://huggingface.co', 'https://*.huggingface.co', 'https://hf.co', 'https://*.hf.co'];
export const LOOPBACK_ORIGINS = ['http://localhost:*', 'http://127.0.0.1:*'];

export type CspOptions = { extraConnectOrigins?: readonly string[]; dev?: boolean };

export function contentSecurityPolicy({ extraConnectOrigins = [], dev = false }: CspOptions = {}): string {
  const connect = ["'self'", ...HF_ORIGINS, ...LOOPBACK_ORIGINS, ...extraConnectOrigins, ...(dev ? ['ws:'] : [])];
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    // 'wasm-unsafe-eval': the tfjs WebAssembly backend compiles its .wasm; no 'unsafe-eval', no inline script.
    // The dev server alone allows inline script: @vitejs/plugin-react injects its fast-refresh preamble inline.
    'script-src': ["'self'", "'wasm-unsafe-eval'", ...(dev ? ["'unsafe-inline'"] : [])],
    // The studio worker is a same-origin module; blob: for libraries that spawn workers from blobs.
    'worker-src': ["'self'", 'blob:'],
    'connect-src': connect,
    'img-src': ["'self'", 'data:', 'blob:'],
    // Dev injects CSS as <style> elements; the build links a stylesheet. React style props go through CSSOM.
    'style-src': ["'self'", ...(dev ? ["'unsafe-inline'"] : [])],
    'font-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'none'"],
  };
  return Object.entries(directives)
    .map(([k, v]) => `${k} ${v.join(' ')}`)
    .join('; ');
}

/** Header-only directives (ignored in a <meta>). */
export const HEADER_ONLY_DIRECTIVES = "frame-ancestors 'none'";
