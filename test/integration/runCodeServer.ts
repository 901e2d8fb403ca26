// Runs the integration suite (suite/*.test.ts) in the real VS Code extension host, without a desktop
// VS Code: code-server serves the VS Code 1.100 workbench, headless Chromium opens it with VS Code's
// `payload` URL parameter (extensionDevelopmentPath + extensionTestsPath), the workbench runs the suite
// in its Node extension host and hands the output and the exit code back through
// window.codeAutomationLog / window.codeAutomationExit, which this page defines.
// (Why this way and every pitfall: ../shared/docs/vscode-test-harness.md.)
//
// Usage: node out/test/integration/runCodeServer.js [--screenshots DIR] [--workspace DIR]
//   --screenshots DIR  save DIR/<name>.png whenever the suite logs a line `SCREENSHOT <name>`
//                      (the suite may also log `PRESS <key>` to have the runner press a key, e.g. the viewer's `m`)
//   --workspace DIR    open a fresh copy of DIR instead of the bundled sample/
// Environment: INTEGRATION_TIMEOUT_S (default 1800) bounds the whole run; INTEGRATION_GREP (a regular
// expression) runs only the tests whose title matches; every variable reaches the extension host.
// Exit code: the suite's (0 when all passed); 1 on timeout or when the harness itself fails.
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { VIEWPORT, launchChromium } from './lib/browser';
import { startCodeServer, type CodeServer } from './lib/codeServer';
import { FAILURE_SCREENSHOT, REPO_ROOT, SAMPLE_DIR, SUITE_DIR } from './lib/paths';
import { copyWorkspace, makeRunFolder } from './lib/workspace';

const SCREENSHOT_LINE = /^SCREENSHOT ([\w.-]+)$/;
/** `PRESS <key>`: the suite asks for a key press in the focused part of the workbench (e.g. a webview's shortcut). */
const PRESS_LINE = /^PRESS (\S+)$/;

interface Options {
  screenshotsDir?: string;
  workspaceSource: string;
  timeoutMs: number;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { workspaceSource: SAMPLE_DIR, timeoutMs: Number(process.env.INTEGRATION_TIMEOUT_S ?? 1800) * 1000 };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    if (argv[i] === '--screenshots' && value) options.screenshotsDir = resolve(argv[++i]);
    else if (argv[i] === '--workspace' && value) options.workspaceSource = resolve(argv[++i]);
    else throw new Error(`Unknown argument ${argv[i]}; usage: runCodeServer.js [--screenshots DIR] [--workspace DIR]`);
  }
  if (!(options.timeoutMs > 0)) throw new Error('INTEGRATION_TIMEOUT_S must be a positive number of seconds');
  return options;
}

/** Opens the workbench with the test payload; resolves with the suite's exit code. */
async function runSuite(page: Page, server: CodeServer, workspace: string, screenshotsDir?: string): Promise<number> {
  const screenshots: Promise<unknown>[] = [];
  await page.exposeFunction('codeAutomationLog', (_level: unknown, message: unknown) => {
    const line = String(message);
    console.log(line);
    const shot = SCREENSHOT_LINE.exec(line.trim());
    if (shot && screenshotsDir) {
      const file = join(screenshotsDir, `${shot[1]}.png`);
      screenshots.push(page.screenshot({ path: file }).then(() => console.log(`[runner] saved ${file}`)));
    }
    const press = PRESS_LINE.exec(line.trim());
    if (press) void page.keyboard.press(press[1]).catch((error: Error) => console.error(`[runner] PRESS ${press[1]}: ${error.message}`));
  });
  let resolveExit: (code: number) => void = () => {};
  const exitCode = new Promise<number>((done) => (resolveExit = done));
  await page.exposeFunction('codeAutomationExit', (code: unknown) => resolveExit(Number(code)));
  const url = server.workbenchUrl(workspace, [
    ['extensionDevelopmentPath', server.remoteUri(REPO_ROOT)],
    ['extensionTestsPath', server.remoteUri(SUITE_DIR)],
    ['skipWelcome', 'true'],
  ]);
  await page.goto(url);
  const code = await exitCode;
  await Promise.all(screenshots);
  return code;
}

function timeout(ms: number): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(new Error(`the suite did not finish within ${ms / 1000} s`)), ms).unref());
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (options.screenshotsDir) {
    mkdirSync(options.screenshotsDir, { recursive: true });
    process.env.VQ_TEST_SHOWCASE = '1'; // reaches the extension host: the suite trains the default model (suite/helpers.ts)
  }
  rmSync(FAILURE_SCREENSHOT, { force: true }); // from an earlier failed run
  const runFolder = makeRunFolder('vq-anomaly-it');
  const workspace = copyWorkspace(options.workspaceSource, runFolder);
  const server = await startCodeServer(join(runFolder, 'code-server'));
  process.on('exit', () => server.stop()); // also on Ctrl-C (below) and uncaught errors
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: VIEWPORT });
  let code = 1;
  try {
    code = await Promise.race([runSuite(page, server, workspace, options.screenshotsDir), timeout(options.timeoutMs)]);
  } catch (error) {
    console.error(`[runner] ${error instanceof Error ? error.message : String(error)}`);
  }
  if (code !== 0) await saveFailureScreenshot(page);
  await browser.close();
  server.stop();
  if (code === 0) rmSync(runFolder, { recursive: true, force: true });
  else console.error(`[runner] kept the workspace copy, VS Code's logs and code-server's output in ${runFolder}`);
  return code;
}

async function saveFailureScreenshot(page: Page): Promise<void> {
  mkdirSync(dirname(FAILURE_SCREENSHOT), { recursive: true });
  await page.screenshot({ path: FAILURE_SCREENSHOT }).then(
    () => console.error(`[runner] screenshot of the workbench: ${FAILURE_SCREENSHOT}`),
    (error: Error) => console.error(`[runner] no failure screenshot: ${error.message}`),
  );
}

process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[runner] ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  },
);
