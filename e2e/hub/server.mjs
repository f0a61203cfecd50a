// Mock Hugging Face Hub for e2e tests, served from e2e/hub/.data the way huggingface.co serves repos: `resolve`
// answers with a redirect (LFS-style weights: 302 to a second "CDN" origin on another port, signed URL, no auth
// accepted there; text files: 307 to /api/resolve-cache on the hub itself), X-Repo-Commit and ETag on resolve,
// /api/models/{id}[/revision/{rev}] with sha/gated/siblings, 401 for a missing repo, 401/403 for a gated one without
// the right Bearer token, 429 + Retry-After and dropped connections where repo.json asks, Range everywhere.
// Test hooks: POST /__mock/reset (faults fire again), GET /__mock/log (recent requests). No dependencies beyond
// Node and tsx (used once to build .data via scripts/makeMockHub.ts when it is missing or stale).
// Usage: node e2e/hub/server.mjs [--port 5199] [--cdn-port N]   (0 = any free port; the CDN defaults to port+100)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listFiles, TOKENS } from './repoFiles.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');
const DATA = join(HERE, '.data');
const STAMP_VERSION = /MOCK_HUB_VERSION = '([^']+)'/.exec(readFileSync(join(ROOT, 'scripts', 'makeMockHub.ts'), 'utf8'))?.[1];

const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const PORT = Number(arg('--port') ?? process.env.MOCK_HUB_PORT ?? 5199);
const CDN_PORT = Number(arg('--cdn-port') ?? process.env.MOCK_CDN_PORT ?? (PORT === 0 ? 0 : PORT + 100));

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

const TYPES = { '.json': 'application/json; charset=utf-8', '.txt': 'text/plain; charset=utf-8', '.jinja': 'text/plain; charset=utf-8' };
const LFS = /\.(safetensors|bin|onnx|model|h5|msgpack|pt)$/;

// As huggingface.co: any origin, the headers clients read exposed, Authorization and Range allowed in preflights.
const HUB_CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers':
    'Content-Length, Content-Range, Content-Type, ETag, Accept-Ranges, Location, X-Repo-Commit, X-Linked-Size, X-Linked-ETag, X-Error-Code, X-Error-Message, X-Request-Id, Retry-After',
  'Cross-Origin-Resource-Policy': 'cross-origin',
};
// As the CDN (S3/CloudFront style): any origin, Range allowed, Content-Range exposed; Authorization is not allowed.
const CDN_CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'Content-Length, Content-Range, Content-Type, ETag, Accept-Ranges',
  'Cross-Origin-Resource-Policy': 'cross-origin',
};

const state = { log: [], rateLimited: new Set(), dropped: new Set() };
const logRequest = (origin, req, status) => {
  state.log.push({
    origin,
    method: req.method,
    url: req.url,
    status,
    auth: req.headers.authorization ?? null,
    range: req.headers.range ?? null,
    at: Date.now(),
  });
  if (state.log.length > 2000) state.log.splice(0, 1000);
};

function send(res, status, headers, body, isHead = false) {
  const buf = Buffer.from(body);
  res.writeHead(status, { 'Content-Length': buf.length, ...headers });
  res.end(isHead ? undefined : buf);
}
const sendJson = (res, cors, status, obj, extra = {}) =>
  send(res, status, { ...cors, 'Content-Type': 'application/json; charset=utf-8', ...extra }, JSON.stringify(obj));

const readMeta = (id) => {
  const p = join(DATA, id, 'repo.json');
  if (!/^[\w.-]+\/[\w.-]+$/.test(id) || !existsSync(p)) return null;
  return JSON.parse(readFileSync(p, 'utf8'));
};

/** The caller: none, a known user (with or without access to gated repos), or a token the hub does not know. */
function caller(req) {
  const h = req.headers.authorization;
  if (!h) return { kind: 'anonymous' };
  const token = /^Bearer\s+(.+)$/.exec(h)?.[1] ?? '';
  const user = TOKENS[token];
  return user ? { kind: 'user', ...user } : { kind: 'invalid' };
}

/** null when the caller may read the repo, else the Hub's refusal [status, code, message]. A gated repo's model
 *  API answers everyone (as on huggingface.co: the card and file list are public); its files need access. */
function refusal(id, meta, who, forFile) {
  if (who.kind === 'invalid') return [401, null, 'Invalid credentials in Authorization header'];
  if (!meta) return [who.kind === 'user' ? 404 : 401, 'RepoNotFound', 'Repository not found'];
  if (forFile && meta.gated && !(who.kind === 'user' && who.gatedAccess)) {
    return who.kind === 'anonymous'
      ? [401, 'GatedRepo', `Access to model ${id} is restricted. You must have access to it and be authenticated to access it. Please log in.`]
      : [403, 'GatedRepo', `Access to model ${id} is restricted and you are not in the authorized list. Visit http://hub/${id} to ask for access.`];
  }
  return null;
}

const resolveRev = (meta, rev) => meta.refs[rev] ?? (meta.commits[rev] ? rev : null);

/** Rate limit / auth / revision checks shared by the API and resolve; returns the commit or has answered. */
function gate(req, res, id, rev, isHead, forFile) {
  const meta = readMeta(id);
  if (meta?.rateLimit === 'always' || (meta?.rateLimit === 'once' && !state.rateLimited.has(id))) {
    state.rateLimited.add(id);
    sendJson(
      res,
      HUB_CORS,
      429,
      { error: 'You have exceeded our hourly quotas for action: resolve. Retry after the time in the Retry-After header, or authenticate.' },
      { 'Retry-After': meta.rateLimit === 'always' ? '1' : '2' },
    );
    return null;
  }
  const no = refusal(id, meta, caller(req), forFile);
  if (no) {
    const [status, code, message] = no;
    const extra = code ? { 'X-Error-Code': code, 'X-Error-Message': message } : { 'X-Error-Message': message };
    send(res, status, { ...HUB_CORS, 'Content-Type': 'application/json; charset=utf-8', ...extra }, JSON.stringify({ error: message }), isHead);
    return null;
  }
  const sha = resolveRev(meta, rev);
  if (!sha) {
    const message = `Invalid rev id: ${rev}`;
    send(
      res,
      404,
      { ...HUB_CORS, 'Content-Type': 'application/json; charset=utf-8', 'X-Error-Code': 'RevisionNotFound', 'X-Error-Message': message },
      JSON.stringify({ error: message }),
      isHead,
    );
    return null;
  }
  return { meta, sha, dir: join(DATA, id, 'resolve', meta.commits[sha]), forFile };
}

const etagOf = (file, st) =>
  `"${createHash('sha1')
    .update(`${file}:${st.size}:${Math.floor(st.mtimeMs)}`)
    .digest('hex')}"`;
const sign = (path) =>
  createHash('sha256')
    .update('mock-cdn-secret:' + path)
    .digest('hex')
    .slice(0, 32);

/** Serves a file with Range support; `dropAt` cuts the connection after that many bytes of a full download. */
function serveFile(req, res, cors, file, extra, dropAt = null) {
  const st = statSync(file);
  const isHead = req.method === 'HEAD';
  const base = { ...cors, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Accept-Ranges': 'bytes', ETag: etagOf(file, st), ...extra };
  const m = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
  if (m && (m[1] !== '' || m[2] !== '')) {
    const start = m[1] === '' ? Math.max(0, st.size - Number(m[2])) : Number(m[1]);
    const end = m[1] === '' || m[2] === '' ? st.size - 1 : Math.min(Number(m[2]), st.size - 1);
    if (start >= st.size || start > end) return send(res, 416, { ...base, 'Content-Range': `bytes */${st.size}` }, '', isHead);
    res.writeHead(206, { ...base, 'Content-Range': `bytes ${start}-${end}/${st.size}`, 'Content-Length': end - start + 1 });
    if (isHead) return res.end();
    return createReadStream(file, { start, end }).pipe(res);
  }
  res.writeHead(200, { ...base, 'Content-Length': st.size });
  if (isHead) return res.end();
  if (dropAt === null) return createReadStream(file).pipe(res);
  // A dropped connection: half the promised bytes, then the socket closes.
  createReadStream(file, { start: 0, end: dropAt - 1 })
    .on('data', (c) => res.write(c))
    .on('end', () => setTimeout(() => res.socket?.destroy(), 50));
}

function modelApi(req, res, id, rev) {
  const g = gate(req, res, id, rev, false, false);
  if (!g) return;
  const siblings = listFiles(g.dir).map((rfilename) => ({ rfilename }));
  sendJson(res, HUB_CORS, 200, {
    _id: createHash('md5').update(id).digest('hex').slice(0, 24),
    id,
    modelId: id,
    author: id.split('/')[0],
    sha: g.sha,
    private: false,
    disabled: false,
    gated: g.meta.gated ?? false,
    downloads: 0,
    likes: 0,
    lastModified: '2024-10-01T00:00:00.000Z',
    createdAt: '2024-01-01T00:00:00.000Z',
    pipeline_tag: g.meta.pipelineTag ?? null,
    library_name: 'transformers',
    tags: ['transformers', 'safetensors'],
    siblings,
  });
}

function resolveFile(req, res, id, rev, path, cdnOrigin) {
  const isHead = req.method === 'HEAD';
  const g = gate(req, res, id, rev, isHead, true);
  if (!g) return;
  const file = normalize(join(g.dir, path));
  let st = null;
  if (file.startsWith(g.dir + sep))
    try {
      st = statSync(file);
    } catch {
      /* missing */
    }
  const commit = { 'X-Repo-Commit': g.sha };
  if (!st || !st.isFile()) {
    return send(
      res,
      404,
      { ...HUB_CORS, ...commit, 'Content-Type': 'application/json; charset=utf-8', 'X-Error-Code': 'EntryNotFound', 'X-Error-Message': 'Entry not found' },
      '{"error":"Entry not found"}',
      isHead,
    );
  }
  const target = LFS.test(path)
    ? `${cdnOrigin}/repos/${id}/${g.sha}/${path}?X-Amz-Expires=3600&X-Amz-Signature=${sign(`/repos/${id}/${g.sha}/${path}`)}`
    : `/api/resolve-cache/models/${id}/${g.sha}/${path}`;
  const linked = LFS.test(path) ? { 'X-Linked-Size': String(st.size), 'X-Linked-ETag': etagOf(file, st) } : {};
  send(
    res,
    LFS.test(path) ? 302 : 307,
    { ...HUB_CORS, ...commit, ...linked, ETag: etagOf(file, st), Location: target, 'Content-Type': 'text/plain; charset=utf-8' },
    `Found. Redirecting to ${target}`,
    isHead,
  );
}

function hubHandler(cdnOrigin) {
  return (req, res) => {
    res.on('finish', () => logRequest('hub', req, res.statusCode));
    const isHead = req.method === 'HEAD';
    if (req.method === 'OPTIONS') {
      return send(
        res,
        204,
        {
          ...HUB_CORS,
          'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
          'Access-Control-Allow-Headers': 'Authorization, Range, Accept, Content-Type, Cache-Control',
          'Access-Control-Max-Age': '86400',
        },
        '',
      );
    }
    let url;
    try {
      url = new URL(req.url ?? '/', 'http://x');
    } catch {
      return sendJson(res, HUB_CORS, 400, { error: 'Bad path' });
    }
    const path = decodeURIComponent(url.pathname);
    if (req.method === 'POST' && path === '/__mock/reset') {
      state.rateLimited.clear();
      state.dropped.clear();
      state.log = [];
      return sendJson(res, HUB_CORS, 200, { ok: true });
    }
    if (req.method !== 'GET' && !isHead) return sendJson(res, HUB_CORS, 405, { error: 'Method not allowed' });
    if (path === '/health') return send(res, 200, { ...HUB_CORS, 'Content-Type': 'text/plain' }, 'ok', isHead);
    if (path === '/__mock/log') return sendJson(res, HUB_CORS, 200, state.log);
    let m = /^\/api\/models\/([^/]+\/[^/]+)(?:\/revision\/([^/]+))?$/.exec(path);
    if (m) return modelApi(req, res, m[1], m[2] && m[2] !== 'HEAD' ? m[2] : 'main');
    m = /^\/api\/resolve-cache\/models\/([^/]+\/[^/]+)\/([0-9a-f]{40})\/(.+)$/.exec(path);
    if (m) {
      const meta = readMeta(m[1]);
      const dir = meta?.commits[m[2]] ? join(DATA, m[1], 'resolve', meta.commits[m[2]]) : null;
      const file = dir ? normalize(join(dir, m[3])) : null;
      if (!file || !file.startsWith(dir + sep) || !existsSync(file))
        return sendJson(res, HUB_CORS, 404, { error: 'Entry not found' }, { 'X-Error-Code': 'EntryNotFound' });
      return serveFile(req, res, HUB_CORS, file, { 'X-Repo-Commit': m[2] });
    }
    m = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(path);
    if (m) return resolveFile(req, res, m[1], m[2], m[3], cdnOrigin);
    return sendJson(res, HUB_CORS, 404, { error: 'Not found' });
  };
}

function cdnHandler(req, res) {
  res.on('finish', () => logRequest('cdn', req, res.statusCode));
  if (req.method === 'OPTIONS') {
    return send(
      res,
      204,
      {
        ...CDN_CORS,
        'Access-Control-Allow-Methods': 'GET, HEAD',
        'Access-Control-Allow-Headers': 'Range, Accept, Content-Type',
        'Access-Control-Max-Age': '86400',
      },
      '',
    );
  }
  const url = new URL(req.url ?? '/', 'http://x');
  const path = decodeURIComponent(url.pathname);
  const xml = (status, code, message) =>
    send(
      res,
      status,
      { ...CDN_CORS, 'Content-Type': 'application/xml' },
      `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`,
    );
  // A presigned URL already carries its credentials: S3 refuses a second auth mechanism.
  if (req.headers.authorization)
    return xml(
      400,
      'InvalidArgument',
      'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
    );
  if (url.searchParams.get('X-Amz-Signature') !== sign(url.pathname)) return xml(403, 'AccessDenied', 'Request has expired or the signature does not match');
  const m = /^\/repos\/([^/]+\/[^/]+)\/([0-9a-f]{40})\/(.+)$/.exec(path);
  const meta = m ? readMeta(m[1]) : null;
  const dir = meta?.commits[m[2]] ? join(DATA, m[1], 'resolve', meta.commits[m[2]]) : null;
  const file = dir ? normalize(join(dir, m[3])) : null;
  if (!file || !file.startsWith(dir + sep) || !existsSync(file)) return xml(404, 'NoSuchKey', 'The specified key does not exist.');
  const key = `${m[1]}/${m[3]}`;
  let dropAt = null;
  if (!req.headers.range && meta.dropOnce?.includes(m[3]) && !state.dropped.has(key)) {
    state.dropped.add(key);
    dropAt = Math.floor(statSync(file).size / 2);
  }
  return serveFile(req, res, CDN_CORS, file, {}, dropAt);
}

ensureData();
const cdn = createServer(cdnHandler);
cdn.listen(CDN_PORT, () => {
  const cdnOrigin = `http://127.0.0.1:${cdn.address().port}`;
  const server = createServer(hubHandler(cdnOrigin));
  server.listen(PORT, () => console.log(`[mock-hub] serving ${DATA} on http://localhost:${server.address().port} (CDN ${cdnOrigin})`));
  for (const sig of ['SIGINT', 'SIGTERM'])
    process.on(sig, () => {
      cdn.close();
      server.close(() => process.exit(0));
    });
});
