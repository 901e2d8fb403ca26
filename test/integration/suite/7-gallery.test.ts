// Used-by flow: Explorer → "Open anomaly gallery" on scans/: the folder is scored (over the worker
// processes `scoring.processes` asks for: all cores by default), the gallery webview shows every scan
// as a thumbnail with its residual, most anomalous first; the score filter hides the low ones; clicking
// a thumbnail opens that scan in the scan viewer. What the webview shows is read from its reports.
import * as assert from 'node:assert/strict';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { ScoreFolderResult } from '../../../models/worker/protocol';
import type { GalleryReport } from '../../../webview/gallery/galleryProtocol';
import { COMMANDS, activateExtension, screenshot, waitFor, workspaceUri } from './helpers';

const REPORT_TIMEOUT_MS = 60_000;

suite('anomaly gallery', () => {
  let scored: ScoreFolderResult;
  suiteTeardown(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  /** The newest gallery report that satisfies `accept`. */
  async function reportWhere(what: string, accept: (report: GalleryReport) => boolean): Promise<GalleryReport> {
    const api = await activateExtension();
    return waitFor(what, () => api.galleryReports().reverse().find(accept), REPORT_TIMEOUT_MS);
  }

  test('shows every scan of the folder as a thumbnail with its residual, in the worker’s score order', async () => {
    const result = await vscode.commands.executeCommand<ScoreFolderResult | undefined>(COMMANDS.openGallery, workspaceUri('scans'));
    assert.ok(result, 'vqAnomaly.openGallery returned no result');
    scored = result;
    const names = result.scores.map(({ file }) => basename(file)); // scans/ has no sub-folders
    assert.ok(names.some((n) => n.endsWith('.png')) && names.some((n) => n.endsWith('.nii.gz')), `PNG images and a volume: ${names.join(', ')}`);

    const report = await reportWhere('the gallery to show the scored folder', (r) => r.names.length === names.length);
    assert.deepEqual(report.names, names, 'the gallery’s order is the worker’s, most anomalous first');
    assert.deepEqual(
      report.scores,
      result.scores.map((s) => s.score),
    );
    // Like with like: the volume of scans/ first, then its slices (PNG images), each group most anomalous first.
    const kinds = result.scores.map((s) => s.kind);
    assert.equal(kinds[0], 'volume');
    report.scores.forEach((score, i) => assert.ok(i === 0 || kinds[i - 1] !== kinds[i] || report.scores[i - 1] >= score, `sorted within its kind at ${i}`));
    assert.equal(report.visible, names.length, 'no filter yet: all shown');
    report.thumbnailPixels.forEach((pixels, i) => assert.ok(pixels > 0, `the thumbnail of ${names[i]} is drawn (${pixels} pixels)`));
    assert.ok(
      report.overlayPixels.some((pixels) => pixels > 0),
      `a residual is painted over some thumbnail: ${report.overlayPixels.join(', ')}`,
    );
    await screenshot('gallery');
  });

  test('the score filter hides the scans below it', async () => {
    const api = await activateExtension();
    const scores = scored.scores.map((s) => s.score);
    const minScore = [...scores].sort((a, b) => b - a)[1]; // the second highest: at least one scan (the lowest) falls below it
    const expected = scores.filter((s) => s >= minScore).length;
    assert.ok(expected < scores.length, `the sample's scores are not all equal: ${scores.join(', ')}`);
    assert.equal(await api.automateGallery({ type: 'setMinScore', minScore }), true, 'a gallery is open');
    const report = await reportWhere(`the gallery to filter at ${minScore}`, (r) => r.minScore === minScore);
    assert.equal(report.visible, expected);
  });

  test('clicking a thumbnail opens that scan in the scan viewer', async () => {
    const api = await activateExtension();
    const index = scored.scores.findIndex(({ file }) => file.endsWith('.png'));
    const uri = vscode.Uri.file(scored.scores[index].file);
    assert.equal(await api.automateGallery({ type: 'clickEntry', index }), true, 'a gallery is open');
    await waitFor(`the scan viewer of ${uri.fsPath} to draw it`, () => (api.renderReports(uri.toString()).length > 0 ? true : undefined), REPORT_TIMEOUT_MS);
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    assert.ok(input instanceof vscode.TabInputCustom, 'the active tab is a custom editor');
    assert.equal(input.uri.toString(), uri.toString());
  });
});
