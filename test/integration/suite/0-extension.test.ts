// The extension is installed in the real VS Code and activates with its API.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, activateExtension } from './helpers';

suite('extension', () => {
  test('runs in a real VS Code >= 1.100 extension host, with the extension installed', () => {
    const [major, minor] = vscode.version.split('.').map(Number);
    assert.ok(major > 1 || minor >= 100, `VS Code ${vscode.version} is older than the engines.vscode ^1.100.0`);
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID), `${EXTENSION_ID} is not installed`);
  });

  test('activates and returns its API', async () => {
    const api = await activateExtension();
    for (const method of ['renderReports', 'backend', 'workerPid', 'lastFolderScores'] as const) {
      assert.equal(typeof api[method], 'function', `API method ${method}`);
    }
  });
});
