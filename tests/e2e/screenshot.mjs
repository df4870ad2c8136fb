// node tests/e2e/screenshot.mjs OUT.png [--train-ms 3000] [--full-page] [--hash '#system=lorenz']
// Serves dist/, loads the lab at 1400x900 (device scale factor 1), lets it train, and writes a
// screenshot to OUT.png (`make screenshot` uses it for the README image). Console errors and page
// errors are printed to stderr and make it exit with status 1 (the screenshot is still written).

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { serveDir, launchBrowser, openLab } from './harness.mjs';

function usage(msg) {
  if (msg) console.error(`screenshot.mjs: ${msg}`);
  console.error('usage: node tests/e2e/screenshot.mjs OUT.png [--train-ms MS] [--full-page] [--hash HASH]');
  process.exit(2);
}

const argv = process.argv.slice(2);
let out = null;
let trainMs = 3000;
let fullPage = false;
let hash = '';
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--full-page') fullPage = true;
  else if (a === '--train-ms') trainMs = Number(argv[++i]);
  else if (a === '--hash') hash = argv[++i] ?? '';
  else if (a === '-h' || a === '--help') usage();
  else if (a.startsWith('-')) usage(`unknown option ${a}`);
  else if (out === null) out = a;
  else usage(`unexpected argument ${a}`);
}
if (!out) usage('missing OUT.png');
if (!Number.isFinite(trainMs) || trainMs < 0) usage('--train-ms must be a number >= 0');

let server, browser, lab;
let status = 0;
try {
  server = await serveDir();
  browser = await launchBrowser();
  const urlPath = '/' + (hash && !hash.startsWith('#') ? '#' + hash : hash);
  lab = await openLab(browser, server.origin, { width: 1400, height: 900, deviceScaleFactor: 1, path: urlPath });
  await lab.page.waitForSelector('#stats', { state: 'attached', timeout: 10_000 });
  await lab.page.waitForTimeout(trainMs);
  const file = path.resolve(out);
  await mkdir(path.dirname(file), { recursive: true });
  await lab.page.screenshot({ path: file, fullPage, timeout: 10_000 });
  const epoch = await lab.page.evaluate(() => document.getElementById('stats')?.dataset.epoch ?? null);
  console.log(`screenshot: ${file} (1400x900${fullPage ? ', full page' : ''}, ${trainMs} ms of training, data-epoch ${epoch})`);
  if (lab.problems.length) {
    console.error(`screenshot.mjs: ${lab.problems.length} console/page error(s):\n  ${lab.problems.join('\n  ')}`);
    status = 1;
  }
} catch (err) {
  console.error(`screenshot.mjs: ${err.stack || err}`);
  status = 1;
} finally {
  await lab?.context.close().catch(() => {});
  await browser?.close().catch(() => {});
  await server?.close().catch(() => {});
}
process.exit(status);
