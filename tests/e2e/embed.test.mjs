// Embedding (issue 14): a course page on another origin iframes the lab with
// `#embed=1&origins=<its origin>` and drives it by postMessage; a page on an origin the link does
// not allow gets no answer; the top-level page's window.lyapunovLens answers the same API.
// `node --test tests/e2e/embed.test.mjs` after `make build`.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { serveDir, launchBrowser, openLab, canvasPixels, poll, repoRoot } from './harness.mjs';

const OUT_DIR = path.join(repoRoot, 'tests', 'e2e', 'out');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * A course page at its own origin (another port): `/?lab=<url>` iframes that url; `/readme`
 * serves `readme()` (the README's example page).
 */
async function serveParent(readme = () => '') {
  const server = createServer((req, res) => {
    if (req.url === '/readme') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html><head><meta charset="utf-8"><title>README example</title></head><body>${readme()}</body></html>`);
      return;
    }
    const lab = new URL(req.url, 'http://127.0.0.1').searchParams.get('lab') || '';
    const src = lab.replace(/"/g, '&quot;');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html><head><meta charset="utf-8"><title>Course page</title></head>
<body><h1>Week 3: predator and prey</h1>
<iframe id="lab" title="lyapunov-lens" src="${src}" width="800" height="640"></iframe></body></html>`);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) };
}

/**
 * Posts `message` to the iframe from the parent page and resolves with the reply that carries
 * its id, or with 'no reply' after `wait` ms.
 */
function ask(page, message, wait = 3000) {
  return page.evaluate(
    ({ message, wait }) =>
      new Promise((resolve) => {
        const frame = document.getElementById('lab');
        const timer = setTimeout(() => {
          window.removeEventListener('message', onMessage);
          resolve('no reply');
        }, wait);
        function onMessage(event) {
          if (event.source !== frame.contentWindow || event.data?.id !== message.id) return;
          clearTimeout(timer);
          window.removeEventListener('message', onMessage);
          resolve({ origin: event.origin, data: event.data });
        }
        window.addEventListener('message', onMessage);
        frame.contentWindow.postMessage(message, '*');
      }),
    { message, wait },
  );
}

let nextId = 1;
/** Calls `method` with `args` by postMessage; returns the reply's data (or 'no reply'). */
async function call(page, method, ...args) {
  const reply = await ask(page, { type: 'lyapunov-lens', id: `q${nextId++}`, method, args });
  return reply === 'no reply' ? reply : reply.data;
}

describe('embedding the lab in a course page', () => {
  let lab;
  let parent;
  let stranger;
  let browser;
  let example = '';
  before(async () => {
    lab = await serveDir();
    parent = await serveParent(() => example);
    stranger = await serveParent();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await lab?.close();
    await parent?.close();
    await stranger?.close();
  });

  test('(a) an allowed parent drives the iframe by postMessage', { timeout: 60_000 }, async () => {
    const labUrl = `${lab.origin}/#seed=2&embed=1&origins=${parent.origin}`;
    const opened = await openLab(browser, parent.origin, {
      path: `/?lab=${encodeURIComponent(labUrl)}`,
      width: 900,
      height: 760,
    });
    const { page, problems } = opened;
    try {
      const frame = page.frameLocator('#lab');
      const child = page.frames().find((f) => f.url().startsWith(lab.origin));
      assert.ok(child, 'no lab frame');
      await poll(() => child.evaluate(() => Boolean(window.lyapunovLens)), { timeout: 10_000 });

      // The compact layout: the figure, the verdict, Play and σ; no header, explanations or
      // ensemble strip; nothing scrolls sideways in the 800 px frame.
      const layout = await child.evaluate(() => {
        const shown = (sel) => {
          const el = document.querySelector(sel);
          return Boolean(el) && el.getClientRects().length > 0;
        };
        return {
          embed: document.getElementById('app').classList.contains('embed'),
          header: shown('header'),
          explain: shown('#explain'),
          ensemble: shown('.ensemble'),
          clock: shown('#clock-kick'),
          verdict: shown('#verdict'),
          play: shown('#play'),
          sigma: shown('#sigma'),
          lr: shown('#lr'),
          portrait: shown('#phase-portrait'),
          sideways: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        };
      });
      assert.deepEqual(layout, {
        embed: true, header: false, explain: false, ensemble: false, clock: false, verdict: true,
        play: true, sigma: true, lr: false, portrait: true, sideways: 0,
      });
      const inked = await poll(async () => ((await canvasPixels(child, 'phase-portrait'))?.inked ?? 0) > 500);
      assert.ok(!inked.timedOut, 'the portrait is not drawn in the frame');
      await mkdir(OUT_DIR, { recursive: true });
      await page.screenshot({ path: path.join(OUT_DIR, 'embed.png') });

      // getState: the link's settings, typed.
      const got = await call(page, 'getState');
      assert.equal(got.ok, true, JSON.stringify(got));
      assert.equal(got.type, 'lyapunov-lens');
      assert.equal(got.result.system, 'lotka-volterra');
      assert.equal(got.result.seed, 2);
      assert.equal(got.result.sigma, 2);
      assert.equal(got.result.playing, true);
      assert.equal('origins' in got.result || 'embed' in got.result, false);

      // setState: a good change is applied at once and shows on the slider.
      const set = await call(page, 'setState', { sigma: 0.5 });
      assert.equal(set.ok, true, JSON.stringify(set));
      assert.equal(set.result.sigma, 0.5);
      assert.equal((await call(page, 'getState')).result.sigma, 0.5);
      assert.equal(await frame.locator('#sigma').inputValue(), '0.5');

      // A refused change leaves the state unchanged and says why, as a link's notice would.
      const before = (await call(page, 'getState')).result;
      for (const [args, reason] of [
        [[{ sigma: 1e9 }], /sigma: 1000000000 is outside/],
        [[{ sigma: 0.7, seed: 1.5 }], /seed: 1\.5 is not a whole number/],
        [[{ bogus: 1 }], /unknown setting 'bogus'/],
        [[{ origins: 'https://evil.example' }], /origins belongs to the embedding page/],
        [[{ sigma: null }], /not null/],
        [['sigma=3'], /an object of settings/],
        [[], /an object of settings/],
      ]) {
        const r = await call(page, 'setState', ...args);
        assert.equal(r.ok, false, `${JSON.stringify(args)} was accepted`);
        assert.match(r.error, reason);
        assert.deepEqual((await call(page, 'getState')).result, before, `${JSON.stringify(args)} changed the state`);
      }
      // Bad messages get an error reply, never a crash.
      for (const [message, reason] of [
        [{ type: 'lyapunov-lens', id: 'm1', method: 'explode' }, /no method 'explode'/],
        [{ type: 'lyapunov-lens', id: 'm2' }, /needs a method/],
        [{ type: 'lyapunov-lens', id: 'm3', method: 'setState', args: { sigma: 1 } }, /args must be an array/],
      ]) {
        const r = await ask(page, message);
        assert.notEqual(r, 'no reply', JSON.stringify(message));
        assert.equal(r.data.ok, false);
        assert.equal(r.data.id, message.id);
        assert.match(r.data.error, reason);
        assert.equal(r.origin, lab.origin);
      }
      // Messages that are not the lab's get no reply.
      assert.equal(await ask(page, { type: 'something-else', id: 'x1', method: 'getState' }, 500), 'no reply');

      // pause stops training, play resumes it; report reads the run.
      assert.equal((await call(page, 'pause')).ok, true);
      assert.equal(await frame.locator('#play').getAttribute('aria-pressed'), 'false');
      const r1 = (await call(page, 'report')).result;
      await sleep(400);
      const r2 = (await call(page, 'report')).result;
      assert.equal(r2.step, r1.step, 'training ran while paused');
      assert.equal((await call(page, 'play')).ok, true);
      const settled = await poll(async () => (await call(page, 'report')).result.settled, { timeout: 30_000, interval: 250 });
      assert.ok(!settled.timedOut, 'the verdict did not settle');
      const report = (await call(page, 'report')).result;
      const shown = await child.evaluate(() => ({
        verdict: document.getElementById('verdict').textContent,
        spearman: document.getElementById('stats').dataset.spearman,
        epoch: document.getElementById('stats').dataset.epoch,
      }));
      assert.equal(report.verdict, shown.verdict);
      assert.equal(report.rho, Number(shown.spearman));
      assert.equal(report.converged, true);
      assert.equal(report.provisional, false);
      assert.equal(report.measurable, true);
      assert.equal(report.measure, '∂V/∂n');
      assert.equal(typeof report.loss, 'number');
      assert.ok(report.rho_interval && report.rho_interval.low <= report.rho_interval.high, JSON.stringify(report.rho_interval));
      assert.equal(report.ensemble.seeds_read, 20);
      console.log(`    report: step ${report.step}, ρ ${report.rho}, interval of the mean ρ [${report.rho_interval.low}, ${report.rho_interval.high}]`);

      // setState(getState()) leaves #stats as it was.
      const stats = () =>
        child.evaluate(() => {
          const s = document.getElementById('stats');
          const { epoch, loss, pearson, spearman, peakOffset, ess } = s.dataset;
          return { epoch, loss, pearson, spearman, peakOffset, ess, verdict: document.getElementById('verdict').textContent };
        });
      const statsBefore = await stats();
      const state = (await call(page, 'getState')).result;
      const again = await call(page, 'setState', state);
      assert.equal(again.ok, true, JSON.stringify(again));
      assert.deepEqual(again.result, state);
      await sleep(500);
      assert.deepEqual(await stats(), statsBefore);
      // The address bar of the frame keeps the embedding keys.
      const hash = await child.evaluate(() => location.hash);
      assert.match(hash, /&embed=1&origins=http:\/\/127\.0\.0\.1:\d+$/);
      assert.match(hash, /sigma=0\.5/);
      assert.deepEqual(problems, [], 'console or page errors');
    } finally {
      await opened.context.close();
    }
  });

  test('(b) a page on an origin the link does not allow gets no answer', { timeout: 30_000 }, async () => {
    const labUrl = `${lab.origin}/#embed=1&origins=${parent.origin}`;
    const opened = await openLab(browser, stranger.origin, { path: `/?lab=${encodeURIComponent(labUrl)}` });
    const { page } = opened;
    const warnings = [];
    page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
    try {
      const child = page.frames().find((f) => f.url().startsWith(lab.origin));
      await poll(() => child.evaluate(() => Boolean(window.lyapunovLens)), { timeout: 10_000 });
      const playing = await child.evaluate(() => document.getElementById('play').getAttribute('aria-pressed'));
      assert.equal(await call(page, 'getState'), 'no reply');
      assert.equal(await call(page, 'pause'), 'no reply');
      assert.equal(await child.evaluate(() => document.getElementById('play').getAttribute('aria-pressed')), playing);
      assert.ok(warnings.some((w) => w.includes(`a message from ${stranger.origin} was ignored`)), warnings.join('\n'));
      assert.deepEqual(opened.problems, [], 'console or page errors');
    } finally {
      await opened.context.close();
    }
  });

  test('(c) the top-level page: window.lyapunovLens and messages from its own origin', { timeout: 30_000 }, async () => {
    const opened = await openLab(browser, lab.origin, { path: '/#system=van-der-pol&seed=1' });
    const { page } = opened;
    try {
      await poll(() => page.evaluate(() => Boolean(window.lyapunovLens)));
      const api = await page.evaluate(() => {
        const app = window.lyapunovLens;
        const state = app.getState();
        let error = null;
        try {
          app.setState({ mu: 'strong' });
        } catch (e) {
          error = { isError: e instanceof Error, message: e.message };
        }
        const unchanged = JSON.stringify(app.getState()) === JSON.stringify(state);
        const set = app.setState({ mu: 2, playing: false });
        app.play();
        return { state, error, unchanged, set, report: app.report(), methods: ['getState', 'setState', 'report', 'play', 'pause'].every((m) => typeof app[m] === 'function') };
      });
      assert.equal(api.methods, true);
      assert.equal(api.state.system, 'van-der-pol');
      assert.equal(api.state.seed, 1);
      assert.deepEqual(api.error, { isError: true, message: "the change was refused, nothing was changed: mu: 'strong' is not a number; using 1" });
      assert.equal(api.unchanged, true);
      assert.equal(api.set.mu, 2);
      assert.equal(api.set.playing, false);
      assert.equal(typeof api.report.verdict, 'string');
      assert.equal(await page.locator('#mu').inputValue(), '2');
      assert.equal(await page.locator('#play').getAttribute('aria-pressed'), 'true');
      // Its own origin may message it without an origins= list.
      const reply = await page.evaluate(
        () =>
          new Promise((resolve) => {
            window.addEventListener('message', (e) => {
              if (e.data?.id === 'self' && 'ok' in e.data) resolve(e.data); // not the request itself
            });
            window.postMessage({ type: 'lyapunov-lens', id: 'self', method: 'getState', args: [] }, location.origin);
          }),
      );
      assert.equal(reply.ok, true);
      assert.equal(reply.result.mu, 2);
      assert.deepEqual(opened.problems, [], 'console or page errors');
    } finally {
      await opened.context.close();
    }
  });

  test("(d) the README's example course page shows the settled verdict", { timeout: 60_000 }, async () => {
    const readme = await readFile(path.join(repoRoot, 'README.md'), 'utf8');
    const block = /A course page that embeds the lab[^`]*```html\n([\s\S]*?)```/.exec(readme);
    assert.ok(block, 'no example page in the README');
    example = block[1]
      .replaceAll('https://lab.example.org', lab.origin)
      .replaceAll('https://lms.example.edu', parent.origin)
      .replace('#preset=paper', '#preset=paper&seed=2');
    const opened = await openLab(browser, parent.origin, { path: '/readme', width: 900, height: 800 });
    const { page } = opened;
    try {
      const child = await poll(() => page.frames().find((f) => f.url().startsWith(lab.origin)));
      const shown = await poll(async () => {
        const text = await page.evaluate(() => document.getElementById('verdict').textContent);
        return text !== 'Training…' ? text : null;
      }, { timeout: 40_000, interval: 250 });
      assert.ok(!shown.timedOut, 'the example page never showed a verdict');
      const verdict = await child.value.evaluate(() => document.getElementById('verdict').textContent);
      assert.equal(shown.value, verdict);
      assert.equal(await child.value.evaluate(() => document.getElementById('verdict').dataset.settled), 'true');
      assert.deepEqual(opened.problems, [], 'console or page errors');
    } finally {
      await opened.context.close();
    }
  });
});
