// The scan viewer's controls in the real workbench, driven as a user drives them (keys pressed and
// values typed in the page, through the extension's automateViewer): the contour threshold keys, the
// contrast presets and typed window, the overlay range at the colorbar's ends, positions in mm and
// orientation labels, and a file that cannot be read.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { readScan } from '../../../models/io/volume';
import type { RenderReport, ViewerAutomation } from '../../../webview/protocol';
import { NIFTI_SCAN, OVERLAY_TIMEOUT_MS, actInViewer, activateExtension, openInScanViewer, openScoredScan, waitFor, workspaceUri } from './helpers';

const STEP_TIMEOUT_MS = 20_000;

suite('viewer controls', () => {
  suiteTeardown(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  const openScored = openScoredScan;

  const act = (uri: string, actions: ViewerAutomation[], what: string, done: (r: RenderReport) => boolean) =>
    actInViewer(uri, actions, what, done, STEP_TIMEOUT_MS);

  const keys = (key: string, times: number): ViewerAutomation[] => Array.from({ length: times }, () => ({ kind: 'key', key }));
  const type = (control: Extract<ViewerAutomation, { kind: 'input' }>['control'], value: number | string): ViewerAutomation => ({
    kind: 'input',
    control,
    value: String(value),
  });

  test('] ten times outlines the region above the middle of the colour window; [ ten times turns the contour off and draws none', async () => {
    const uri = await openScored();
    const up = await act(uri, keys(']', 10), 'the contour at 50 %', (r) => r.contourLabel !== 'off' && r.contourPixels > 0);
    const range = up.overlayRange!;
    assert.equal(up.contourLabel, `≥ ${(range.low + 0.5 * (range.high - range.low)).toPrecision(3)}`, 'ten 5 % steps: the middle of the window');
    const down = await act(uri, keys('[', 10), 'the contour label "off"', (r) => r.contourLabel === 'off');
    assert.equal(down.contourPixels, 0, 'no contour is drawn when the label says off');
  });

  test('contrast presets and a typed window width / level set the gray window the scan is drawn with', async () => {
    const uri = await openScored();
    const { data } = await readScan(workspaceUri(...NIFTI_SCAN.split('/')).fsPath);
    let min = Infinity;
    let max = -Infinity;
    for (const v of data) [min, max] = [Math.min(min, v), Math.max(max, v)];
    const full = await act(uri, [type('windowPreset', 'full')], 'the full-range window', (r) => Math.abs(r.windowLevel.width - (max - min)) < 1e-3);
    assert.ok(Math.abs(full.windowLevel.level - (min + max) / 2) < 1e-3, `level ${full.windowLevel.level}, file range ${min}..${max}`);
    const typed = await act(uri, [type('window', 100), type('level', 50)], 'the typed window', (r) => r.windowLevel.level === 50);
    assert.deepEqual(typed.windowLevel, { level: 50, width: 100 });
    const auto = await act(uri, [{ kind: 'key', key: 'r' }], 'the automatic window back', (r) => r.windowLevel.level !== 50);
    assert.ok(auto.windowLevel.width < max - min, 'the automatic (brain) window is narrower than the full range');
  });

  test('the overlay range typed at the colorbar ends: above every value nothing is painted, near 0 more than by default', async () => {
    const uri = await openScored();
    const before = (await activateExtension()).renderReports(uri).at(-1)!;
    const high = await act(uri, [type('overlayHigh', 1e6), type('overlayLow', 1e5)], 'the raised range', (r) => r.overlayRange?.low === 1e5);
    assert.deepEqual(high.overlayRange, { low: 1e5, high: 1e6 });
    assert.equal(high.overlayPixels, 0, 'no residual value reaches the range');
    const low = await act(uri, [type('overlayLow', 0), type('overlayHigh', 1e-6)], 'the lowered range', (r) => r.overlayRange?.high === 1e-6);
    assert.ok(low.overlayPixels > before.overlayPixels, `${low.overlayPixels} px over a range from 0 vs ${before.overlayPixels} px by default`);
    await act(uri, [{ kind: 'key', key: 'r' }], 'the automatic range back', (r) => r.overlayRange?.high !== 1e-6);
  });

  test('the crosshair in mm from the header, and the patient directions at the pane edges of each view', async () => {
    const uri = await openScored();
    const { affine } = await readScan(workspaceUri(...NIFTI_SCAN.split('/')).fsPath);
    assert.ok(affine, 'the sample NIfTI has a voxel-to-world matrix');
    const axial = await act(uri, [{ kind: 'key', key: '1' }], 'the axial view', (r) => r.view === 'axial');
    const [i, j, k] = axial.crosshair;
    const expected = [0, 1, 2].map((r) => affine[r][0] * i + affine[r][1] * j + affine[r][2] * k + affine[r][3]);
    axial.crosshairMm!.forEach((v, axis) => assert.ok(Math.abs(v - expected[axis]) < 1e-6, `axis ${axis}: ${v} mm vs ${expected[axis]} mm`));
    // The worker reads NIfTI into the canonical RAS grid: x increases to the patient's right, y anterior, z superior.
    assert.deepEqual(axial.orientation, { left: 'L', right: 'R', top: 'A', bottom: 'P' });
    const coronal = await act(uri, [{ kind: 'key', key: '2' }], 'the coronal view', (r) => r.view === 'coronal');
    assert.deepEqual(coronal.orientation, { left: 'L', right: 'R', top: 'S', bottom: 'I' });
    const sagittal = await act(uri, [{ kind: 'key', key: '3' }], 'the sagittal view', (r) => r.view === 'sagittal');
    assert.deepEqual(sagittal.orientation, { left: 'P', right: 'A', top: 'S', bottom: 'I' });
  });

  test('the page is served through webview resource URLs (remote development): its script and both stylesheets load, none from a file path', async () => {
    const api = await activateExtension();
    const uri = (await openInScanViewer(NIFTI_SCAN)).toString();
    const page = await waitFor('the page report', () => api.viewerPage(uri), OVERLAY_TIMEOUT_MS);
    assert.deepEqual(
      page.resources.map((url) => url.split(/[?#]/)[0].split('/').slice(-2).join('/')),
      ['dist/webview.js', 'media/base.css', 'media/webview.css'],
      page.resources.join(', '),
    );
    // asWebviewUri's URLs: https on the webview resource host (code-server and VS Code both), never file: or a bare path.
    for (const url of page.resources) assert.match(url, /^https:\/\/[^/]+\.vscode-resource\.vscode-cdn\.net\//);
    assert.equal(page.stylesheets, 2, 'both stylesheets were served and applied');
  });

  test('a file that cannot be read: the header names it, Score is disabled and the error names no absolute path', async () => {
    const api = await activateExtension();
    const folder = workspaceUri('viewer-fixtures');
    const file = vscode.Uri.joinPath(folder, 'broken.nii.gz');
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode('not a gzip stream'));
    try {
      await openInScanViewer('viewer-fixtures/broken.nii.gz');
      const page = await waitFor('the error in the viewer', () => [api.viewerPage(file.toString())].find((p) => p && p.error !== ''), OVERLAY_TIMEOUT_MS);
      assert.equal(page.title, 'broken.nii.gz', 'the header names the file, not "Loading…"');
      assert.equal(page.scoreEnabled, false, 'nothing to score');
      assert.match(page.error, /^broken\.nii\.gz: /);
      assert.ok(!page.error.includes(folder.fsPath) && !page.error.includes(workspaceUri().fsPath), page.error);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await vscode.workspace.fs.delete(folder, { recursive: true });
    }
  });
});
