// Renders www/icons/icon.svg into the web app manifest's PNG icons, www/icons/icon-192.png and
// www/icons/icon-512.png, with the headless Chromium the e2e tests use (nothing downloaded).
// The PNGs are committed; run this again only when the SVG changes:
//   node tests/e2e/render_icons.mjs

import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { launchBrowser, repoRoot } from './harness.mjs';

const svg = await readFile(path.join(repoRoot, 'www', 'icons', 'icon.svg'), 'utf8');
const browser = await launchBrowser();
try {
  for (const size of [192, 512]) {
    const context = await browser.newContext({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    await page.setContent(
      `<!doctype html><html><body style="margin:0;background:transparent">` +
        svg.replace('<svg ', `<svg width="${size}" height="${size}" `) +
        `</body></html>`,
    );
    const png = await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
    const out = path.join(repoRoot, 'www', 'icons', `icon-${size}.png`);
    await writeFile(out, png);
    console.log(`${out}: ${png.length} bytes`);
    await context.close();
  }
} finally {
  await browser.close();
}
