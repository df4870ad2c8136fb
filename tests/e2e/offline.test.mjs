// Offline (issue 14): the service worker (www/service-worker.js, registered by www/loader.js)
// caches the bundle, so that after one visit the page opens, trains and draws with no network.
// `node --test tests/e2e/offline.test.mjs` after `make build`.
//
// The harness's openLab blocks service workers (its request routing and a worker do not mix), so
// this file opens its own context with them allowed and no routing; the page is on 127.0.0.1
// only and the CSP refuses any other origin anyway.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDir, launchBrowser, canvasPixels, poll } from './harness.mjs';

const CACHE = 'lyapunov-lens-v1';

/** A page in a context that allows service workers, with every console/page error recorded. */
async function openWithWorkers(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, serviceWorkers: 'allow' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console.error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  await page.goto(url, { waitUntil: 'load' });
  return { context, page, problems };
}

const epoch = (page) => page.evaluate(() => Number(document.getElementById('stats')?.dataset.epoch ?? NaN));

/** Waits until the epoch advances past `above` and both main canvases are inked. */
async function trainsAndDraws(page, label) {
  const trained = await poll(async () => (await epoch(page)) > 0, { timeout: 15_000 });
  assert.ok(!trained.timedOut, `${label}: the epoch did not advance (${await epoch(page)})`);
  for (const id of ['phase-portrait', 'normal-derivative']) {
    const px = await canvasPixels(page, id);
    assert.ok(px && px.inked > 500, `${label}: #${id} has ${px?.inked} inked pixels`);
  }
}

describe('offline: the service worker keeps the lab working without a network', () => {
  let server;
  let browser;
  let lab;
  before(async () => {
    server = await serveDir();
    browser = await launchBrowser();
  });
  after(async () => {
    await lab?.context.close();
    await browser?.close();
    await server?.close();
  });

  test('(a) the first visit installs the worker, which takes control and caches the bundle', async () => {
    lab = await openWithWorkers(browser, `${server.origin}/#system=van-der-pol&seed=3`);
    const { page } = lab;
    await trainsAndDraws(page, 'online');
    const controlled = await poll(
      () => page.evaluate(() => navigator.serviceWorker.controller?.state === 'activated'),
      { timeout: 10_000 },
    );
    assert.ok(!controlled.timedOut, 'no activated service worker controls the page');
    const cached = await page.evaluate(async (name) => {
      const cache = await caches.open(name);
      return (await cache.keys()).map((r) => new URL(r.url).pathname).sort();
    }, CACHE);
    console.log(`    cached: ${cached.join(' ')}`);
    for (const want of [/^\/$/, /^\/loader\.js$/, /^\/manifest\.webmanifest$/, /^\/icons\/icon-192\.png$/,
      /^\/icons\/icon-512\.png$/, /^\/icons\/icon\.svg$/, /^\/lyapunov-lens-[0-9a-f]{16}\.js$/,
      /^\/lyapunov-lens-[0-9a-f]{16}_bg\.wasm$/, /^\/style-[0-9a-f]{16}\.css$/]) {
      assert.ok(cached.some((p) => want.test(p)), `${want} is not cached`);
    }
    // The manifest is linked and lists the PNG icons (installable).
    const manifest = await page.evaluate(async () => {
      const href = document.querySelector('link[rel="manifest"]')?.href;
      return href ? (await fetch(href)).json() : null;
    });
    assert.ok(manifest, 'no manifest');
    const sizes = manifest.icons.map((i) => i.sizes);
    assert.ok(sizes.includes('192x192') && sizes.includes('512x512'), sizes.join(', '));
    assert.deepEqual(lab.problems, [], 'console or page errors online');
  });

  test('(b) offline, a reload and a new tab still open the page, train and draw', async () => {
    const { context, page } = lab;
    await context.setOffline(true);
    await server.close(); // no server either: nothing can come from the network
    server = null;
    const before = await epoch(page);
    await page.reload({ waitUntil: 'load' });
    await trainsAndDraws(page, 'offline reload');
    const nav = await page.evaluate(() => ({
      type: performance.getEntriesByType('navigation')[0]?.type,
      controlled: Boolean(navigator.serviceWorker.controller),
    }));
    assert.deepEqual(nav, { type: 'reload', controlled: true }, 'the reload did not come from the worker');
    assert.equal(await page.evaluate(() => location.hash.includes('system=van-der-pol')), true);
    assert.equal(await page.evaluate(() => document.getElementById('system')?.value), 'van-der-pol');
    console.log(`    epoch before the reload ${before}; after it, offline: ${await epoch(page)}`);
    const tab = await context.newPage();
    const tabProblems = [];
    tab.on('console', (m) => m.type() === 'error' && tabProblems.push(m.text()));
    tab.on('pageerror', (e) => tabProblems.push(e.message));
    await tab.goto(page.url().split('#')[0] + '#system=lotka-volterra', { waitUntil: 'load' });
    await trainsAndDraws(tab, 'offline new tab');
    assert.deepEqual([...lab.problems, ...tabProblems], [], 'console or page errors offline');
  });
});
