// Where things are, for the runners bundled to out/test/integration/*.js (their __dirname).
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '../../..');
/** The compiled mocha suite that VS Code's test hook loads (its index.js exports run()). */
export const SUITE_DIR = join(REPO_ROOT, 'out/test/integration/suite');
/** The bundled sample workspace; every run works on a fresh copy of it. */
export const SAMPLE_DIR = join(REPO_ROOT, 'sample');
/** Installed by scripts/setup-code-server.sh. */
export const CODE_SERVER_BIN = join(REPO_ROOT, '.vscode-test/code-server/node_modules/.bin/code-server');
/** User settings for the test and demo VS Code (telemetry, updates, welcome pages and AI features off). */
export const USER_SETTINGS = join(REPO_ROOT, 'test/integration/code-server/settings.json');
export const FAILURE_SCREENSHOT = join(REPO_ROOT, 'out/test/integration/failure.png');
