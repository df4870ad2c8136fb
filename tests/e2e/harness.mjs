// Shared by lab.test.mjs and screenshot.mjs: a static server for dist/, the headless Chromium
// launch, opening the lab page with every console error and page error recorded, and reading
// canvas pixels. Nothing here downloads anything: playwright-core comes from the set-up's tools
// directory and the browser is Debian's /usr/bin/chromium.

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import os from 'node:os';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const distDir = process.env.LL_DIST ? path.resolve(process.env.LL_DIST) : path.join(repoRoot, 'dist');
export const toolsDir =
  process.env.LL_TOOLS || path.join(process.env.HOME || os.homedir(), '.cache', 'lyapunov-lens');
export const chromiumPath = process.env.LL_CHROMIUM || '/usr/bin/chromium';
export const cliPath = process.env.LL_CLI
  ? path.resolve(process.env.LL_CLI)
  : path.join(repoRoot, 'target', 'debug', 'lyapunov-lens');

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
};

/** playwright-core from the tools directory (never from the network). */
export async function loadPlaywright() {
  const entry = path.join(toolsDir, 'node', 'node_modules', 'playwright-core', 'index.mjs');
  if (!existsSync(entry)) {
    throw new Error(`playwright-core not found at ${entry} (set LL_TOOLS, or run make setup)`);
  }
  return import(pathToFileURL(entry).href);
}

/**
 * Serves `root` on 127.0.0.1 at an ephemeral port. `/` is index.html; anything outside `root` or
 * missing is a 404. Returns { origin, port, close() }.
 */
export async function serveDir(root = distDir) {
  const absRoot = path.resolve(root);
  if (!existsSync(path.join(absRoot, 'index.html'))) {
    throw new Error(`${absRoot}/index.html is missing: build the bundle first (make build)`);
  }
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://127.0.0.1');
      let rel = decodeURIComponent(url.pathname);
      if (rel.endsWith('/')) rel += 'index.html';
      const file = path.resolve(absRoot, '.' + rel);
      if (file !== absRoot && !file.startsWith(absRoot + path.sep)) {
        res.writeHead(403).end('forbidden');
        return;
      }
      const info = await stat(file).catch(() => null);
      if (!info || !info.isFile()) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': MIME[path.extname(file).toLowerCase()] || 'application/octet-stream',
        'content-length': body.length,
        'cache-control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (err) {
      res.writeHead(500).end(String(err));
    }
  });
  const sockets = new Set();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Headless Debian Chromium with the project's flags. */
export async function launchBrowser() {
  const { chromium } = await loadPlaywright();
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 20_000,
  });
}

/**
 * Opens the lab at `origin` in a fresh context. Requests to any host other than 127.0.0.1 are
 * aborted (and so show up as console errors). Every console error, page error and HTTP response
 * with status >= 400 from the moment the page is created is pushed to `problems`. `path` (default '/') is what follows the origin in
 * the URL opened, e.g. '/#sigma=0&playing=0'. `initScript` (a function) runs in the page before
 * any of its own scripts. Returns { context, page, problems, loadedAt }.
 */
export async function openLab(
  browser,
  origin,
  { width = 1400, height = 900, deviceScaleFactor = 1, timeout = 15_000, path: urlPath = '/', initScript = null } = {},
) {
  const context = await browser.newContext({
    viewport: { width, height },
    deviceScaleFactor,
    serviceWorkers: 'block',
  });
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if ((url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '127.0.0.1') {
      return route.abort('blockedbyclient');
    }
    return route.continue();
  });
  const page = await context.newPage();
  if (initScript) await page.addInitScript(initScript);
  page.setDefaultTimeout(timeout);
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      const loc = msg.location();
      const where = loc && loc.url ? ` (${loc.url}:${loc.lineNumber})` : '';
      problems.push(`console.error: ${msg.text()}${where}`);
    }
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.stack || err.message || err}`));
  page.on('crash', () => problems.push('page crashed'));
  // A failed fetch (e.g. a 404 /favicon.ico) logs a console error in a desktop browser, but
  // headless Chromium does not always report it as one: record any response >= 400 too.
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  await page.goto(origin + urlPath, { waitUntil: 'load', timeout });
  const loadedAt = Date.now();
  return { context, page, problems, loadedAt };
}

/** Resolves after `n` animation frames in the page. */
export function frames(page, n = 2) {
  return page.evaluate(
    (n) =>
      new Promise((resolve) => {
        let left = n;
        const tick = () => (--left <= 0 ? resolve() : requestAnimationFrame(tick));
        requestAnimationFrame(tick);
      }),
    n,
  );
}

/**
 * Summary of the pixels of `canvas#id`, computed in the page: size, inked count (alpha > 0),
 * and, when `withPixels`, the RGBA of opaque pixels (alpha >= minAlpha) as a flat array
 * (subsampled to at most maxPixels) with their x coordinates in `xs`. Returns null when there is no such canvas.
 */
export function canvasPixels(page, id, { withPixels = false, minAlpha = 128, maxPixels = 60_000 } = {}) {
  return page.evaluate(
    ({ id, withPixels, minAlpha, maxPixels }) => {
      const canvas = document.getElementById(id);
      if (!(canvas instanceof HTMLCanvasElement)) return null;
      const { width, height } = canvas;
      if (width === 0 || height === 0) return { width, height, inked: 0, opaque: 0, pixels: [], xs: [] };
      let ctx = canvas.getContext('2d');
      if (!ctx) {
        // Not a 2d canvas (e.g. WebGL): copy it onto one.
        const copy = document.createElement('canvas');
        copy.width = width;
        copy.height = height;
        ctx = copy.getContext('2d');
        ctx.drawImage(canvas, 0, 0);
      }
      const data = ctx.getImageData(0, 0, width, height).data;
      let inked = 0;
      const opaque = [];
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] > 0) inked++;
        if (withPixels && data[i + 3] >= minAlpha) opaque.push(i);
      }
      const pixels = [];
      const xs = [];
      if (withPixels) {
        const stride = Math.max(1, Math.ceil(opaque.length / maxPixels));
        for (let k = 0; k < opaque.length; k += stride) {
          const i = opaque[k];
          pixels.push(data[i], data[i + 1], data[i + 2], data[i + 3]);
          xs.push((i / 4) % width);
        }
      }
      return { width, height, inked, opaque: withPixels ? opaque.length : undefined, pixels, xs };
    },
    { id, withPixels, minAlpha, maxPixels },
  );
}

/** SHA-256 (hex) of the RGBA bytes of `canvas#id`, or null when there is no such canvas. */
export function canvasHash(page, id) {
  return page.evaluate(async (id) => {
    const canvas = document.getElementById(id);
    if (!(canvas instanceof HTMLCanvasElement)) return null;
    if (canvas.width === 0 || canvas.height === 0) return 'empty';
    let ctx = canvas.getContext('2d');
    if (!ctx) {
      const copy = document.createElement('canvas');
      copy.width = canvas.width;
      copy.height = canvas.height;
      ctx = copy.getContext('2d');
      ctx.drawImage(canvas, 0, 0);
    }
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    const digest = await crypto.subtle.digest('SHA-256', data);
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
  }, id);
}

/** Sets an input/select's value and dispatches a bubbling `input` event; returns the value it took. */
export function setControl(page, id, value) {
  return page.evaluate(
    ({ id, value }) => {
      const el = document.getElementById(id);
      if (!el) throw new Error(`no #${id}`);
      el.value = String(value);
      el.dispatchEvent(new Event('input', { bubbles: true }));
      return el.value;
    },
    { id, value },
  );
}

/** Polls `fn` (async, returns truthy when done) every `interval` ms until `timeout` ms. */
export async function poll(fn, { timeout = 5000, interval = 50 } = {}) {
  const start = Date.now();
  let last;
  for (;;) {
    last = await fn();
    if (last) return { value: last, ms: Date.now() - start };
    if (Date.now() - start > timeout) return { value: last, ms: Date.now() - start, timedOut: true };
    await new Promise((r) => setTimeout(r, interval));
  }
}
