// The demo (`npm run demo`; scripts/demo.sh builds, packages the VSIX and installs code-server first):
// VS Code in the browser on http://127.0.0.1:$PORT with the extension installed from its VSIX, as a user
// installs it, on a fresh copy of the sample workspace. Everything the demo writes (workspace copy,
// trained models, VS Code state) lives in .vscode-test/demo/, replaced at every start. Ctrl-C stops it.
// Usage: node out/test/integration/demo.js VSIX [--check]
//   --check  start, open the sample scan from the Explorer in headless Chromium, wait until the scan
//            viewer has drawn it, then open the extension's page in the Extensions view and wait until
//            its README's screenshots have loaded, stop: exit code 0 when the demo works (its smoke test).
// Environment: PORT (default 8080; --check: a free port); DEMO_WORKSPACE, a folder to copy instead of sample/;
// DEMO_CHECK_TIMEOUT_S (default 180), the limit of each wait of --check.
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { VIEWPORT, launchChromium } from './lib/browser';
import { installExtension, startCodeServer } from './lib/codeServer';
import { REPO_ROOT, SAMPLE_DIR } from './lib/paths';
import { copyWorkspace } from './lib/workspace';

const DEMO_DIR = join(REPO_ROOT, '.vscode-test/demo');
/** The scan the instructions and --check open. */
const DEMO_SCAN = 'scans/patient26_FLAIR.nii.gz';
/**
 * How long --check waits for each step (the Explorer's items, the viewer's first drawing). A first start
 * on a loaded 2-core machine (code-server's first load, the extension host starting, the webview
 * loading its bundle and the 3 MB volume) took over 60 s once; a warm one takes about 10 s.
 */
const CHECK_TIMEOUT_MS = Number(process.env.DEMO_CHECK_TIMEOUT_S ?? 180) * 1000;

/**
 * Opens `scan` from the Explorer as a user does (expand its folders, double-click it) and waits until
 * the scan viewer webview has drawn it: its render info line (webview/viewerDom.ts) says what is shown.
 */
async function checkScanViewer(page: Page, scan: string): Promise<string> {
  const explorer = page.locator('.explorer-folders-view');
  const parts = scan.split('/');
  for (const [i, name] of parts.entries()) {
    const item = explorer.getByRole('treeitem', { name, exact: true });
    await item.waitFor({ timeout: CHECK_TIMEOUT_MS });
    await (i < parts.length - 1 ? item.click() : item.dblclick());
  }
  // A webview is an iframe in an iframe: the outer one from the workbench, the inner one the extension's page.
  const viewer = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
  const renderInfo = viewer.locator('.render-info', { hasText: /\S/ });
  await renderInfo.waitFor({ timeout: CHECK_TIMEOUT_MS });
  return (await renderInfo.textContent()) ?? '';
}

/**
 * Opens the installed extension's page in the Extensions view, as a user does before anything else,
 * and waits until every image of its README (the packaged USER_GUIDE.md) has loaded: the number of them.
 */
async function checkExtensionDetails(page: Page): Promise<number> {
  await page.locator('.explorer-folders-view').click(); // the workbench, not the viewer's webview, has the focus
  await page.keyboard.press('Control+Shift+X');
  await page.keyboard.type('@installed VQ Anomaly Review');
  const item = page.locator('.extension-list-item', { hasText: 'VQ Anomaly Review' }).first();
  await item.waitFor({ timeout: CHECK_TIMEOUT_MS });
  await item.click();
  // The README is rendered in a webview: look for it in every frame, until all its images have loaded.
  const deadline = Date.now() + CHECK_TIMEOUT_MS;
  let last = 'no README images found';
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      const images = await frame
        .$$eval('img[src^="data:image/"]', (all) => all.map((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0))
        .catch(() => [] as boolean[]);
      if (images.length > 0 && images.every(Boolean)) return images.length;
      if (images.length > 0) last = `${images.filter(Boolean).length} of ${images.length} README images loaded`;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the extension's page in the Extensions view did not show its README's screenshots: ${last}`);
}

/** --check: the scan viewer draws the sample scan, and the extension's page shows its screenshots. */
async function check(url: string, scan: string): Promise<string> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: VIEWPORT });
    await page.goto(url);
    const shown = await checkScanViewer(page, scan);
    const images = await checkExtensionDetails(page);
    return `opened ${scan} in the scan viewer (${shown}); the extension's page shows its README with ${images} screenshots`;
  } finally {
    await browser.close();
  }
}

function printInstructions(url: string, workspace: string, logFile: string): void {
  console.log(`
  VQ Anomaly Review demo is running. Open in your browser:

      ${url}

  Then:
    1. In the Explorer, right-click the folder "train" → "Train anomaly model"
       (progress in a notification; the model is saved in .anomaly-models/train).
    2. Open ${DEMO_SCAN}: the scan viewer shows the volume slice by slice and, once
       scored, the residual overlay on the anomalous regions. For a PNG in scans/:
       right-click → "Open With…" → "VQ Anomaly Scan Viewer".
    3. Right-click the folder "scans" → "Score folder" (or Command Palette, Ctrl+Shift+P →
       "VQ Anomaly: Score folder") to rank every scan, most anomalous first.

  Workspace copy: ${workspace}
  Server log:     ${logFile}
  Press Ctrl-C to stop.
`);
}

async function main(): Promise<number> {
  const [vsix, flag] = process.argv.slice(2);
  if (!vsix || (flag !== undefined && flag !== '--check')) throw new Error('usage: demo.js VSIX [--check]');
  // The check needs no fixed port: a free one, so that it never meets another server on 8080 (in CI).
  const port = process.env.PORT ? Number(process.env.PORT) : flag === '--check' ? undefined : 8080;
  if (!(CHECK_TIMEOUT_MS > 0)) throw new Error('DEMO_CHECK_TIMEOUT_S must be a positive number of seconds');
  rmSync(DEMO_DIR, { recursive: true, force: true });
  const workspace = copyWorkspace(process.env.DEMO_WORKSPACE ? resolve(process.env.DEMO_WORKSPACE) : SAMPLE_DIR, DEMO_DIR);
  const stateDir = join(DEMO_DIR, 'code-server');
  installExtension(stateDir, resolve(vsix));
  const server = await startCodeServer(stateDir, port);
  process.on('exit', () => server.stop());
  const url = server.workbenchUrl(workspace);

  if (flag === '--check') {
    console.log(`[demo] check passed: ${url} ${await check(url, DEMO_SCAN)}`);
    return 0;
  }
  printInstructions(url, workspace, server.logFile);
  await server.exited;
  console.error(`[demo] code-server stopped; its output: ${server.logFile}`);
  return 1;
}

process.on('SIGINT', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[demo] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
