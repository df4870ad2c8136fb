// The page under its Content-Security-Policy (issue 14): index.html carries a <meta> CSP that
// allows no network but the page's own origin and no inline script, and the lab must run under
// it with zero violations. `node --test tests/e2e/csp.test.mjs` after `make build`.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { serveDir, launchBrowser, openLab, canvasPixels, poll, distDir } from './harness.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Records every CSP violation the page reports, before any of the page's own scripts run. */
function recordViolations() {
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push(`${e.violatedDirective}: ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`);
  });
}

/** The directives of a CSP string, by name. */
function directives(csp) {
  return Object.fromEntries(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name, values]),
  );
}

describe('the lab under its Content-Security-Policy', () => {
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

  test('(a) the built page has a strict CSP and no inline script', async () => {
    const html = await readFile(path.join(distDir, 'index.html'), 'utf8');
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html);
    assert.ok(meta, 'no CSP <meta> in dist/index.html');
    const d = directives(meta[1]);
    assert.deepEqual(d['default-src'], ["'self'"]);
    assert.deepEqual(d['script-src'], ["'self'", "'wasm-unsafe-eval'"]);
    assert.deepEqual(d['connect-src'], ["'self'"]);
    assert.deepEqual(d['object-src'], ["'none'"]);
    assert.ok(!meta[1].includes('unsafe-inline') && !meta[1].includes("'unsafe-eval'"), meta[1]);
    // Every <script> has a src: Trunk's inline loader is replaced by www/loader.js.
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.ok(scripts.length > 0, 'no script at all');
    for (const [, attrs, body] of scripts) {
      assert.match(attrs, /\bsrc="/, `an inline script: <script${attrs}>`);
      assert.equal(body.trim(), '', 'a script with a src and a body');
    }
  });

  test('(b) the page trains and draws with zero CSP violations, and the CSP is enforced', async () => {
    const lab = await openLab(browser, server.origin, {
      path: '/#system=van-der-pol&x0=1&y0=0',
      initScript: recordViolations,
    });
    const { page, problems } = lab;
    try {
      const csp = await page.evaluate(
        () => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content ?? null,
      );
      assert.ok(csp, 'the page has no CSP');
      const epoch = () => page.evaluate(() => Number(document.getElementById('stats')?.dataset.epoch ?? NaN));
      const trained = await poll(async () => (await epoch()) > 0, { timeout: 10_000 });
      assert.ok(!trained.timedOut, `the epoch did not advance (${await epoch()})`);
      for (const id of ['phase-portrait', 'normal-derivative']) {
        const px = await canvasPixels(page, id);
        assert.ok(px && px.inked > 500, `#${id} has ${px?.inked} inked pixels`);
      }
      // Work the page a little: large text, another system by its hash, the explanations.
      await page.click('#big-text');
      await page.evaluate(() => {
        location.hash = '#system=lorenz';
      });
      await poll(() => page.evaluate(() => document.getElementById('system')?.value === 'lorenz'));
      await page.evaluate(() => document.querySelector('details')?.setAttribute('open', ''));
      await sleep(500);
      const violations = await page.evaluate(() => window.__cspViolations);
      assert.deepEqual(violations, [], 'CSP violations');
      assert.deepEqual(problems, [], 'console or page errors');
      // The CSP is live: an inline script and a fetch to another origin are refused.
      const refused = await page.evaluate(async () => {
        window.__inlineRan = false;
        const s = document.createElement('script');
        s.textContent = 'window.__inlineRan = true;';
        document.body.append(s);
        let fetched = true;
        try {
          await fetch('http://localhost:9/x');
        } catch {
          fetched = false;
        }
        await new Promise((r) => setTimeout(r, 100));
        return { inlineRan: window.__inlineRan, fetched, violations: window.__cspViolations };
      });
      assert.equal(refused.inlineRan, false, 'an inline script ran');
      assert.equal(refused.fetched, false, 'a fetch to another origin went through');
      assert.ok(refused.violations.some((v) => v.startsWith('script-src')), refused.violations.join('; '));
      assert.ok(refused.violations.some((v) => v.startsWith('connect-src')), refused.violations.join('; '));
    } finally {
      await lab.context.close();
    }
  });
});
