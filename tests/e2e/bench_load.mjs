// node tests/e2e/bench_load.mjs [RUNS]   (`make bench-load`; needs `make build`)
// Page-load figures of the built bundle (dist/) in headless Chromium, for reading, not passing:
// - the size of every .wasm and .js file of the bundle, raw and gzipped (level 9, what a server
//   would send);
// - time from navigation start to the first canvas with ink (a non-transparent pixel), over RUNS
//   fresh page loads (default 7) with the browser's cache disabled: median and range.
// Prints lines starting with "load ".

import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { serveDir, launchBrowser, distDir } from './harness.mjs';

const runs = Number(process.argv[2] ?? 7);
for (const name of (await readdir(distDir)).sort()) {
  if (!/\.(wasm|js)$/.test(name)) continue;
  const bytes = await readFile(path.join(distDir, name));
  const gz = gzipSync(bytes, { level: 9 }).length;
  console.log(`load bundle ${name}: ${(bytes.length / 1024).toFixed(1)} KiB raw, ${(gz / 1024).toFixed(1)} KiB gzipped`);
}

// Polled in the page every animation frame from navigation: the first moment any canvas has a
// pixel with alpha > 0, relative to performance.timeOrigin (the navigation start).
const probe = () => {
  window.__firstInk = null;
  const check = () => {
    for (const c of document.querySelectorAll('canvas')) {
      if (!c.width || !c.height) continue;
      const ctx = c.getContext('2d', { willReadFrequently: true });
      if (!ctx) continue;
      const { data } = ctx.getImageData(0, 0, c.width, c.height);
      for (let i = 3; i < data.length; i += 4 * 7) {
        if (data[i] > 0) {
          window.__firstInk = performance.now();
          return;
        }
      }
    }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
};

const server = await serveDir();
const browser = await launchBrowser();
const times = [];
try {
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, serviceWorkers: 'block' });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await page.addInitScript(probe);
    await page.goto(server.origin + '/', { waitUntil: 'load' });
    await page.waitForFunction(() => window.__firstInk !== null, null, { timeout: 30_000 });
    times.push(await page.evaluate(() => window.__firstInk));
    await context.close();
  }
} finally {
  await browser.close().catch(() => {});
  await server.close().catch(() => {});
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(`load first inked canvas: median ${median.toFixed(0)} ms from navigation start over ${runs} cold loads (range ${times[0].toFixed(0)}-${times[times.length - 1].toFixed(0)} ms)`);
