// Remote development (Remote-SSH, Dev Containers, Codespaces): the extension runs on the remote, where
// the data and the GPU are (extensionKind "workspace"), while its webviews render on the local machine.
// That works only if nothing assumes both are on one machine: pages load the extension's bundles
// through asWebviewUri under localResourceRoots (never file:// URLs or paths), and the data reaches the
// webviews in messages that name files, never give their paths. Checked here on the sources and on the
// overlays message; that the scan viewer's page really loads through webview resource URLs is checked
// in the running workbench (test/integration/suite/2b-viewerControls.test.ts).

import assert from 'node:assert/strict';
import { POST_PROCESSING_OFF } from '../../models/scoring/postProcessing';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { overlaysMessage } from '../../extension/scanEditor/overlaysMessage';
import type { Grid, ScanScore } from '../../models/worker/protocol';

/** The TypeScript sources under `folder`, with their text. */
function sources(folder: string): { file: string; text: string }[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => ({ file: join(folder, file), text: readFileSync(join(folder, file), 'utf8') }));
}

test('package.json runs the extension where the workspace is ("workspace"), as a Node extension without a browser build', () => {
  const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
  assert.deepEqual(manifest.extensionKind, ['workspace']);
  assert.equal(manifest.main, './dist/extension.js');
  assert.equal(manifest.browser, undefined, 'a web build would run without the model worker');
});

test('every webview page is built by webviewHtml.ts and may load only the extension folders webviewResourceRoots names', () => {
  const extension = sources('extension');
  const pages = extension.flatMap(({ file, text }) => [...text.matchAll(/\.html = (\w+)\(/g)].map((m) => ({ file, builder: m[1] })));
  assert.ok(pages.length >= 1, 'the scan viewer sets a page');
  for (const { file, builder } of pages) assert.match(builder, /^(webviewPageHtml|scanViewerHtml)$/, `${file} builds its page with ${builder}`);
  const settings = extension.flatMap(({ file, text }) => [...text.matchAll(/localResourceRoots: ([^,}\n]+)/g)].map((m) => ({ file, roots: m[1].trim() })));
  assert.ok(settings.length >= pages.length, 'every page sets its resource roots');
  for (const { file, roots } of settings) assert.match(roots, /^webviewResourceRoots\(/, `${file} sets localResourceRoots to ${roots}`);
});

test('no source of the extension or its webviews uses file:// or vscode-resource: URLs', () => {
  for (const { file, text } of [...sources('extension'), ...sources('webview')]) {
    assert.doesNotMatch(text, /file:\/\/|vscode-resource:/, `${file} uses a URL that only works on one machine`);
  }
});

test('the overlays message carries no path of the scan (the host keeps it), only the model folder name it was given', async () => {
  const grid = (): Grid => ({ dims: [2, 1, 1], data: Float32Array.from([0, 1]) });
  const maps = { reconstruction: grid(), residual: grid(), alignment: grid(), ssim: grid(), ssimAlignment: grid() };
  const result: ScanScore = {
    file: '/home/radiologist/scans/brain.nii.gz',
    image: grid(),
    maps,
    sliceScores: [0.5],
    score: 0.5,
    fit: { modality: 'volume', size: [1, 1], foregroundFraction: 1, reconstructionL1: 0 },
    postProcessing: POST_PROCESSING_OFF,
  };
  const message = await overlaysMessage(result, 'brain-model');
  const text = JSON.stringify(message);
  assert.doesNotMatch(text, /home|radiologist|brain\.nii/);
  assert.equal(message.model, 'brain-model');
});
