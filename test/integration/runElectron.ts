// Runs the same integration suite (suite/*.test.ts) in desktop VS Code through @vscode/test-electron,
// on a fresh copy of the sample workspace. For machines with a desktop VS Code or with internet:
//   - VSCODE_EXECUTABLE=/path/to/code  uses that VS Code (e.g. /usr/share/code/code);
//   - otherwise test-electron downloads VS Code 1.100.3 (the version code-server bundles) into
//     .vscode-test/, which needs internet (update.code.visualstudio.com).
// CI uses runCodeServer.ts instead (no internet there); this runner exists for developers who want to
// watch the tests in their own VS Code. Desktop VS Code needs a display: run under xvfb-run on Linux
// servers. Usage: VSCODE_EXECUTABLE=... node out/test/integration/runElectron.js
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { REPO_ROOT, SAMPLE_DIR, SUITE_DIR } from './lib/paths';
import { copyWorkspace, makeRunFolder } from './lib/workspace';

async function main(): Promise<number> {
  const runFolder = makeRunFolder('vq-anomaly-it-electron');
  try {
    const workspace = copyWorkspace(SAMPLE_DIR, runFolder);
    const executable = process.env.VSCODE_EXECUTABLE;
    return await runTests({
      ...(executable ? { vscodeExecutablePath: executable } : { version: '1.100.3' }),
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: SUITE_DIR,
      // prettier-ignore
      launchArgs: [workspace, '--disable-extensions', '--skip-welcome', '--skip-release-notes', '--disable-workspace-trust',
        '--user-data-dir', join(runFolder, 'user-data')],
    });
  } finally {
    rmSync(runFolder, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[runElectron] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
