// The scan viewer's measuring tools and aids in the real workbench, driven as a user drives them (keys,
// typed values, a drag and clicks in the page, through the extension's automateViewer): the region list
// of the thresholded map and its clicks, the ruler in mm, the snapshot PNG (saved through the host), the
// interpolation toggle and the shortcut sheet.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import * as vscode from 'vscode';
import { readScan } from '../../../models/io/volume';
import type { RenderReport, ViewerAutomation } from '../../../webview/protocol';
import { NIFTI_SCAN, actInViewer, activateExtension, openScoredScan, screenshot, workspaceUri } from './helpers';

const STEP_TIMEOUT_MS = 30_000;

suite('viewer tools', () => {
  const snapshots = workspaceUri('viewer-snapshots');
  suiteSetup(() => vscode.workspace.fs.createDirectory(snapshots));
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(snapshots, { recursive: true });
  });

  const openScored = openScoredScan;

  const act = (uri: string, actions: ViewerAutomation[], what: string, done: (r: RenderReport) => boolean) =>
    actInViewer(uri, actions, what, done, STEP_TIMEOUT_MS);

  const key = (k: string): ViewerAutomation => ({ kind: 'key', key: k });
  const keys = (k: string, times: number): ViewerAutomation[] => Array.from({ length: times }, () => key(k));
  const type = (control: 'overlayLow' | 'overlayHigh', value: number): ViewerAutomation => ({ kind: 'input', control, value: String(value) });

  /** The snapshot of the view, saved by the host to `name` in the workspace, decoded. */
  async function snapshot(uri: string, name: string): Promise<PNG> {
    const target = vscode.Uri.joinPath(snapshots, name).fsPath;
    const written = await (await activateExtension()).snapshotViewer(uri, target);
    assert.equal(written, target, 'the host wrote the snapshot where it was asked to');
    return PNG.sync.read(readFileSync(target));
  }

  /** Pixels where red exceeds blue clearly: the warm colormap's overlay (the scan is gray, the pane's background too). */
  function warmPixels(png: PNG): number {
    let count = 0;
    for (let o = 0; o < png.data.length; o += 4) if (png.data[o] - png.data[o + 2] > 16) count++;
    return count;
  }

  test('the region list of the thresholded map: sizes in mL from the header, sorted, and a click goes to the region', async () => {
    const uri = await openScored();
    const { affine, dims } = await readScan(workspaceUri(...NIFTI_SCAN.split('/')).fsPath);
    const mlPerVoxel = Math.abs(affine![0][0] * affine![1][1] * affine![2][2]) / 1000; // the sample's affine is diagonal
    const off = await act(uri, [key('1')], 'the axial view', (r) => r.view === 'axial');
    assert.equal(off.tools.regions, null, 'no contour, no region list');

    const on = await act(uri, keys(']', 10), 'the regions above the middle of the window', (r) => r.tools.regions !== null);
    const regions = on.tools.regions!;
    assert.equal(regions.map, 'residual');
    assert.equal(on.contourLabel, `≥ ${regions.threshold.toPrecision(3)}`, 'the regions of the contour drawn');
    assert.ok(regions.count >= 1 && regions.rows.length === Math.min(regions.count, 50), `${regions.count} regions, ${regions.rows.length} rows`);
    assert.equal(regions.unit, 'mL');
    for (const [i, row] of regions.rows.entries()) {
      assert.ok(Math.abs(row.size - row.voxels * mlPerVoxel) < 1e-9, `row ${i}: ${row.size} mL for ${row.voxels} voxels`);
      assert.ok(row.peak >= regions.threshold, `row ${i}: its peak ${row.peak} reaches the threshold`);
      if (i > 0) assert.ok(row.voxels <= regions.rows[i - 1].voxels, 'largest first');
      assert.ok(row.voxels > 7, `row ${i}: ${row.voxels} voxels; regions of at most 7 are left out (${regions.smallRemoved} here)`);
    }
    const last = regions.rows.length - 1;
    const target = regions.rows[last].focus;
    const jumped = await act(uri, [{ kind: 'clickRegion', index: last }], 'the crosshair on the clicked region', (r) => r.crosshair.join() === target.join());
    assert.equal(jumped.slice, target[2], 'the axial slice through the region');
    assert.ok(jumped.contourPixels > 0, 'the region is outlined on its slice');
    await screenshot('viewer-regions');

    // A threshold below every value: the whole grid is one region, its volume the field of view's.
    const all = await act(
      uri,
      [type('overlayLow', -1), type('overlayHigh', -0.5)],
      'the threshold below every value',
      (r) => r.tools.regions?.threshold === -0.75,
    );
    assert.equal(all.tools.regions!.count, 1);
    assert.equal(all.tools.regions!.rows[0].voxels, dims[0] * dims[1] * dims[2]);
    // Above every value: none.
    const none = await act(
      uri,
      [type('overlayHigh', 1e6), type('overlayLow', 1e5)],
      'the threshold above every value',
      (r) => r.tools.regions?.threshold === 5.5e5,
    );
    assert.equal(none.tools.regions!.count, 0);
    await act(uri, [key('r'), ...keys('[', 10)], 'the contour off', (r) => r.tools.regions === null && r.overlayRange?.low !== 1e5);
  });

  test('the ruler: d, then a drag measures in mm from the header instead of changing the contrast; Esc ends it', async () => {
    const uri = await openScored();
    const { affine } = await readScan(workspaceUri(...NIFTI_SCAN.split('/')).fsPath);
    const before = await act(uri, [key('1'), key('d')], 'measure mode', (r) => r.view === 'axial' && r.tools.measuring);
    const drag: ViewerAutomation = { kind: 'drag', from: [20, 30], to: [60, 90] };
    const measured = await act(uri, [drag], 'the ruler', (r) => r.tools.ruler !== null);
    const ruler = measured.tools.ruler!;
    // The pointer lands within a screen pixel of each pixel centre dragged between.
    const near = (point: number[], expected: number[]) => point.every((v, a) => Math.abs(v - expected[a]) < 0.5);
    assert.ok(near(ruler.from, [20, 30, before.slice]) && near(ruler.to, [60, 90, before.slice]), `${ruler.from} → ${ruler.to}`);
    const delta = [0, 1, 2].map((a) => ruler.to[a] - ruler.from[a]);
    const world = [0, 1, 2].map((r) => affine![r][0] * delta[0] + affine![r][1] * delta[1] + affine![r][2] * delta[2]);
    const expected = Math.hypot(world[0], world[1], world[2]);
    assert.equal(ruler.unit, 'mm');
    assert.ok(Math.abs(ruler.length - expected) < 1e-6, `${ruler.length} mm vs ${expected} mm`);
    assert.equal(ruler.label, `${expected.toFixed(1)} mm`);
    assert.deepEqual(measured.windowLevel, before.windowLevel, 'the drag measured; it did not change the contrast');
    await screenshot('viewer-ruler');
    const other = await act(uri, [key('ArrowUp')], 'the next slice', (r) => r.slice === before.slice + 1);
    assert.equal(other.tools.ruler, null, 'the ruler stays in its own slice');
    const click: ViewerAutomation = { kind: 'drag', from: [50, 70], to: [50, 70] };
    const clicked = await act(uri, [key('ArrowDown'), click], 'the crosshair at the click', (r) => r.crosshair.join() === [50, 70, before.slice].join());
    assert.equal(clicked.tools.ruler, null, 'a click measures nothing; it moves the crosshair');
    const ended = await act(uri, [key('Escape')], 'measure mode off', (r) => !r.tools.measuring);
    assert.equal(ended.tools.ruler, null);
  });

  test('the snapshot: a PNG of the pane as large as the pane, with the overlay; without it no warm pixel', async () => {
    const uri = await openScored();
    const shown = await act(uri, [key('1')], 'the axial view', (r) => r.view === 'axial' && r.overlayPixels > 0 && !r.compare);
    const png = await snapshot(uri, 'overlay.png');
    assert.deepEqual({ width: png.width, height: png.height }, shown.tools.paneSize);
    assert.ok(warmPixels(png) > 0, 'the residual overlay is in the snapshot');
    await act(uri, [key('o')], 'the overlay off', (r) => r.overlay === 'none');
    assert.equal(warmPixels(await snapshot(uri, 'plain.png')), 0, 'gray scan only');
    await act(uri, [key('o')], 'the overlay on', (r) => r.overlay === 'residual');
  });

  test('interpolation: i switches nearest to linear, and the snapshot is then smooth where it was blocky', async () => {
    const uri = await openScored();
    await act(uri, [key('o'), ...keys('+', 4)], 'zoomed in, no overlay', (r) => r.overlay === 'none' && r.tools.interpolation === 'nearest');
    /** Horizontally adjacent pixels that differ: only at voxel edges when nearest, almost everywhere in the brain when linear. */
    const changes = (png: PNG) => {
      let count = 0;
      for (let o = 4; o < png.data.length; o += 4) if (png.data[o] !== png.data[o - 4]) count++;
      return count;
    };
    const blocky = changes(await snapshot(uri, 'nearest.png'));
    const linear = await act(uri, [key('i')], 'linear interpolation', (r) => r.tools.interpolation === 'linear');
    assert.equal(linear.tools.interpolation, 'linear');
    const smooth = changes(await snapshot(uri, 'linear.png'));
    assert.ok(blocky * 2 < smooth, `${blocky} changes between neighbours when nearest vs ${smooth} when linear`);
    await act(uri, [key('i'), key('r'), key('o')], 'nearest, reset, overlay back', (r) => r.tools.interpolation === 'nearest' && r.overlay === 'residual');
  });

  test('? opens the shortcut sheet and Esc closes it', async () => {
    const uri = await openScored();
    await act(uri, [key('?')], 'the shortcut sheet', (r) => r.tools.shortcutSheet);
    await screenshot('viewer-shortcuts');
    await act(uri, [key('Escape')], 'the sheet closed', (r) => !r.tools.shortcutSheet);
  });
});
