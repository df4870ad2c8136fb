// A measure constant along the run up to rounding (issue 14, item 5): on Van der Pol started at
// the origin (an equilibrium) FTLE varies by about 1e-14; the page must say it cannot be
// measured, with the reason, and draw it flat instead of stretching rounding onto 0–1, as it
// does for ∂V/∂n at the Lotka–Volterra equilibrium. `node --test tests/e2e/flat_measure.test.mjs`
// after `make build`.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDir, launchBrowser, openLab, poll } from './harness.mjs';

/** Rows of `canvas#id` holding opaque pixels within 40 (RGB distance) of `hex`. */
function rowsOfColour(page, id, hex) {
  const want = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return page.evaluate(
    ({ id, want }) => {
      const c = document.getElementById(id);
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      const rows = new Set();
      for (let i = 0; i < d.length; i += 4) {
        if (d[i + 3] < 200) continue;
        const dist = Math.hypot(d[i] - want[0], d[i + 1] - want[1], d[i + 2] - want[2]);
        if (dist < 40) rows.add(Math.floor(i / 4 / c.width));
      }
      return [...rows].sort((a, b) => a - b);
    },
    { id, want },
  );
}

describe('a measure constant up to rounding cannot be measured', () => {
  let server;
  let browser;
  before(async () => {
    server = await serveDir();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const [label, hash, symbol, reason] of [
    ['Van der Pol at the origin, FTLE', '#system=van-der-pol&x0=0&y0=0&measure=ftle', 'FTLE', /which is rounding error/],
    ['Lotka–Volterra at its equilibrium, ∂V/∂n', '#x0=2&y0=10', '∂V/∂n', /it is 0 at every point/],
  ]) {
    test(label, { timeout: 30_000 }, async () => {
      const lab = await openLab(browser, server.origin, { path: `/${hash}` });
      const { page, problems } = lab;
      try {
        const said = await poll(
          () => page.evaluate(() => document.getElementById('verdict')?.textContent ?? ''),
          { timeout: 10_000 },
        );
        const verdict = await poll(async () => {
          const text = await page.evaluate(() => document.getElementById('verdict').textContent);
          return text.includes('cannot be measured') ? text : null;
        });
        assert.ok(!verdict.timedOut, `the verdict says: ${said.value}`);
        assert.ok(verdict.value.startsWith(`no alignment can be measured: ${symbol} cannot be measured along this run`), verdict.value);
        assert.match(verdict.value, reason);
        const report = await page.evaluate(() => window.lyapunovLens.report());
        assert.equal(report.measurable, false);
        assert.equal(report.rho, null);
        const canvas = await page.evaluate(() => {
          const c = document.getElementById('normal-derivative');
          return { flat: c.dataset.measureFlat, color: c.dataset.dvdnColor, label: c.getAttribute('aria-label') };
        });
        assert.equal(canvas.flat, 'true');
        assert.match(canvas.label, /constant, cannot be measured/);
        // Drawn as one flat line (at 0.5), not stretched over the plot's height.
        await poll(async () => (await rowsOfColour(page, 'normal-derivative', canvas.color)).length > 0);
        const rows = await rowsOfColour(page, 'normal-derivative', canvas.color);
        const height = await page.evaluate(() => document.getElementById('normal-derivative').height);
        console.log(`    ${label}: measure curve on rows ${rows[0]}–${rows.at(-1)} of ${height}`);
        assert.ok(rows.length > 0, 'no measure curve');
        assert.ok(rows.at(-1) - rows[0] <= 6, `the measure curve spans rows ${rows[0]}–${rows.at(-1)}`);
        assert.deepEqual(problems, [], 'console or page errors');
      } finally {
        await lab.context.close();
      }
    });
  }
});
