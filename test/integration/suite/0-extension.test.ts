// The extension is installed in the real VS Code and activates with its API.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, activateExtension } from './helpers';

suite('extension', () => {
  test("runs in a VS Code that satisfies the manifest's engines.vscode, and registers every contributed command", async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed`);
    const manifest = extension.packageJSON as { engines: { vscode: string }; contributes: { commands: { command: string }[] } };
    // The minimum comes from the manifest, so raising engines.vscode above the pinned code-server fails here.
    const minimum = /^\^(\d+)\.(\d+)\./.exec(manifest.engines.vscode);
    assert.ok(minimum, `engines.vscode "${manifest.engines.vscode}" is not a caret range`);
    const [major, minor] = vscode.version.split('.').map(Number);
    const [minMajor, minMinor] = [Number(minimum[1]), Number(minimum[2])];
    assert.ok(
      major > minMajor || (major === minMajor && minor >= minMinor),
      `VS Code ${vscode.version} does not satisfy engines.vscode ${manifest.engines.vscode}`,
    );
    await extension.activate();
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = manifest.contributes.commands.map((c) => c.command).filter((command) => !registered.has(command));
    assert.deepEqual(missing, [], 'contributed commands the running extension did not register');
  });

  test('activates and returns its API', async () => {
    const api = await activateExtension();
    for (const method of ['renderReports', 'backend', 'workerPid', 'lastFolderScores'] as const) {
      assert.equal(typeof api[method], 'function', `API method ${method}`);
    }
  });
});
