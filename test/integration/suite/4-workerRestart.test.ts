// Robustness: the model worker is killed (crash, out of memory); the next request starts a fresh one.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { isAlive } from '../../processAlive';
import { COMMANDS, type ActiveScanScore, activateExtension, openInScanViewer, pngScan, waitFor } from './helpers';

suite('worker restart', () => {
  suiteTeardown(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  test('scoring still works after the worker is killed, with a new worker', async () => {
    const api = await activateExtension();
    await openInScanViewer(pngScan());
    const oldPid = api.workerPid();
    assert.ok(oldPid, 'a worker is running after the earlier tests');

    process.kill(oldPid, 'SIGKILL');
    await waitFor(`worker ${oldPid} to exit`, () => (isAlive(oldPid) ? undefined : true), 10_000);
    const result = await vscode.commands.executeCommand<ActiveScanScore | undefined>(COMMANDS.scoreActiveScan);

    assert.ok(result && Number.isFinite(result.score), `scoring after the kill returned ${JSON.stringify(result)}`);
    const newPid = api.workerPid();
    assert.ok(newPid && newPid !== oldPid, `a new worker runs (old pid ${oldPid}, now ${newPid})`);
  });
});
