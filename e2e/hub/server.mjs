// Mock Hugging Face Hub for e2e tests: serves e2e/hub/.data (`<org>/<name>/resolve/<rev>/<file>`) over node:http,
// with CORS/CORP headers, Content-Length, HEAD, and the Hub's 404 JSON. No dependencies beyond Node and tsx
// (used once to build .data via scripts/makeMockHub.ts when it is missing or stale).
// Usage: node e2e/hub/server.mjs [--port 5199]   (or MOCK_HUB_PORT=5199; 0 = any free port, printed on start)
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');
const DATA = join(HERE, '.data');
const STAMP_VERSION = /MOCK_HUB_VERSION = '([^']+)'/.exec(readFileSync(join(ROOT, 'scripts', 'makeMockHub.ts'), 'utf8'))?.[1];

const argPort = process.argv.indexOf('--port');
const PORT = Number(argPort > 0 ? process.argv[argPort + 1] : process.env.MOCK_HUB_PORT ?? 5199);

function ensureData() {
  const stamp = join(DATA, 'STAMP');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === STAMP_VERSION) return;
  console.log('[mock-hub] building e2e/hub/.data ...');
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/makeMockHub.ts'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('[mock-hub] scripts/makeMockHub.ts failed');
    process.exit(1);
  }
}

const TYPES = { '.json': 'application/json; charset=utf-8', '.txt': 'text/plain; charset=utf-8', '.model': 'application/octet-stream' };

const COMMON = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'Content-Length, Content-Type, ETag, X-Error-Code',
  'Cross-Origin-Resource-Policy': 'cross-origin',
  'Cache-Control': 'no-cache',
};

function send(res, status, headers, body, isHead) {
  const buf = Buffer.from(body);
  res.writeHead(status, { ...COMMON, 'Content-Length': buf.length, ...headers });
  res.end(isHead ? undefined : buf);
}

ensureData();

const server = createServer((req, res) => {
  const isHead = req.method === 'HEAD';
  if (req.method === 'OPTIONS') {
    res.writeHead(204, { ...COMMON, 'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS', 'Access-Control-Allow-Headers': '*', 'Content-Length': 0 });
    return res.end();
  }
  if (req.method !== 'GET' && !isHead) return send(res, 405, { 'Content-Type': 'application/json' }, '{"error":"Method not allowed"}', false);
  let path;
  try {
    path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  } catch {
    return send(res, 400, { 'Content-Type': 'application/json' }, '{"error":"Bad path"}', isHead);
  }
  if (path === '/health') return send(res, 200, { 'Content-Type': 'text/plain' }, 'ok', isHead);
  const m = /^\/([^/]+(?:\/[^/]+)?)\/resolve\/([^/]+)\/(.+)$/.exec(path);
  const file = m ? normalize(join(DATA, m[1], 'resolve', m[2], m[3])) : null;
  if (!m || !file || !file.startsWith(DATA + sep)) {
    return send(res, 404, { 'Content-Type': 'application/json', 'X-Error-Code': 'EntryNotFound' }, '{"error":"Entry not found"}', isHead);
  }
  const repoExists = existsSync(join(DATA, m[1]));
  let st = null;
  try { st = statSync(file); } catch { /* missing */ }
  if (!st || !st.isFile()) {
    const [code, body] = repoExists ? ['EntryNotFound', '{"error":"Entry not found"}'] : ['RepoNotFound', '{"error":"Repository not found"}'];
    return send(res, 404, { 'Content-Type': 'application/json', 'X-Error-Code': code }, body, isHead);
  }
  res.writeHead(200, {
    ...COMMON,
    'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Length': st.size,
    ETag: `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`,
  });
  if (isHead) return res.end();
  createReadStream(file).pipe(res);
});

server.listen(PORT, () => console.log(`[mock-hub] serving ${DATA} on http://localhost:${server.address().port}`));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.close(() => process.exit(0)));
