// The demo (`npm run demo`; scripts/demo.sh builds, packages the VSIX and installs code-server first):
// VS Code in the browser on http://127.0.0.1:$PORT with the extension installed from its VSIX, as a user
// installs it, on a fresh copy of the sample workspace. Everything the demo writes (workspace copy,
// trained models, VS Code state) lives in .vscode-test/demo/, replaced at every start. Ctrl-C stops it.
// Usage: node out/test/integration/demo.js VSIX [--check]
//   --check  start, open the sample scan from the Explorer in headless Chromium, wait until the scan
//            viewer has drawn it, stop: exit code 0 when the demo works (its smoke test).
// Environment: PORT (default 8080); DEMO_WORKSPACE, a folder to copy instead of sample/.
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { VIEWPORT, launchChromium } from './lib/browser';
import { installExtension, startCodeServer } from './lib/codeServer';
import { REPO_ROOT, SAMPLE_DIR } from './lib/paths';
import { copyWorkspace } from './lib/workspace';

const DEMO_DIR = join(REPO_ROOT, '.vscode-test/demo');
/** The scan the instructions and --check open. */
const DEMO_SCAN = 'scans/patient26_FLAIR.nii.gz';
const CHECK_TIMEOUT_MS = 60_000;

/**
 * Opens `scan` from the Explorer as a user does (expand its folders, double-click it) and waits until
 * the scan viewer webview has drawn it: its render info line (webview/viewerDom.ts) says what is shown.
 */
async function checkScanViewer(url: string, scan: string): Promise<string> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: VIEWPORT });
    await page.goto(url);
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
  const port = Number(process.env.PORT ?? 8080);
  rmSync(DEMO_DIR, { recursive: true, force: true });
  const workspace = copyWorkspace(process.env.DEMO_WORKSPACE ? resolve(process.env.DEMO_WORKSPACE) : SAMPLE_DIR, DEMO_DIR);
  const stateDir = join(DEMO_DIR, 'code-server');
  installExtension(stateDir, resolve(vsix));
  const server = await startCodeServer(stateDir, port);
  process.on('exit', () => server.stop());
  const url = server.workbenchUrl(workspace);

  if (flag === '--check') {
    const shown = await checkScanViewer(url, DEMO_SCAN);
    console.log(`[demo] check passed: ${url} opened ${DEMO_SCAN} in the scan viewer (${shown})`);
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
