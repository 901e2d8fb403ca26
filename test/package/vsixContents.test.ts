// The packaged extension, as a user gets it: opens the .vsix that scripts/package.sh wrote (VSIX, default
// .vscode-test/vq-anomaly-review.vsix; `npm run test:package` packages it first) and checks its file
// list against what the extension loads, its README against the user guide, and that the command line
// it carries trains and scores from the unpacked package alone (the worker bundle, tfjs, the wasm binaries).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import { writeSyntheticPngs } from '../unit/workerFixtures';

const execFileAsync = promisify(execFile);
const VSIX = resolve(process.env.VSIX ?? '.vscode-test/vq-anomaly-review.vsix');

/** What the extension loads from its own folder: the bundles esbuild.mjs writes, the threaded wasm backend and the wasm binaries. */
const BUNDLES = ['extension.js', 'worker.js', 'cli.js', 'webview.js', 'gallery.js', 'training.js'];
const WASM_BINARIES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];
/** The threaded wasm backend the build writes beside the bundles (scripts/patchWasmBackend.mjs). */
const THREADED_WASM = ['wasm-threaded-backend.js', 'wasm-threaded-factory.js', 'wasm-threaded-pthread.js'];

/** Where a packaged file may be: the manifest and its documents, dist/ bundles, media/, node_modules. */
const ALLOWED = [
  /^\[Content_Types\]\.xml$/,
  /^extension\.vsixmanifest$/,
  /^extension\/(package\.json|readme\.md|changelog\.md|LICENSE\.txt)$/,
  /^extension\/dist\/[\w-]+\.js$/,
  /^extension\/media\/[\w-]+\.(css|png)$/,
  /^extension\/node_modules\//,
];

/** Never in the package: sources, tests, source maps, sample data, build and test output, tooling. */
const FORBIDDEN = [
  /\.ts$/,
  /\.map$/,
  /\.(nii|nii\.gz)$/,
  /(^|\/)(test|tests|__tests__|sample|out|bench|scripts|\.vscode-test|\.ci)\//,
  /(^|\/)(tsconfig\.json|esbuild\.mjs|package-lock\.json|\.vscodeignore|\.gitignore)$/,
  /^extension\/(extension|models|webview)\//,
  /\/node_modules\/\.bin\//,
];

function unpack(): Record<string, Uint8Array> {
  assert.ok(existsSync(VSIX), `${VSIX} is missing: run "bash scripts/package.sh ${VSIX}" first (npm run test:package does)`);
  return unzipSync(readFileSync(VSIX));
}

describe(`the packaged extension (${VSIX})`, () => {
  let files: Record<string, Uint8Array>;
  let names: string[];
  const text = (name: string) => new TextDecoder().decode(files[name]);

  before(() => {
    files = unpack();
    names = Object.keys(files).filter((name) => !name.endsWith('/'));
  });

  test('carries the bundles, the threaded wasm backend, the three wasm binaries, every file of media/ and the documents', () => {
    for (const bundle of BUNDLES) {
      assert.ok(names.includes(`extension/dist/${bundle}`), `dist/${bundle} is missing`);
      assert.ok(files[`extension/dist/${bundle}`].length > 10_000, `dist/${bundle} is nearly empty`);
    }
    for (const script of THREADED_WASM) assert.ok(names.includes(`extension/dist/${script}`), `dist/${script} is missing`);
    for (const wasm of WASM_BINARIES) {
      const name = `extension/node_modules/@tensorflow/tfjs-backend-wasm/dist/${wasm}`;
      assert.ok(names.includes(name), `${wasm} is missing`);
      assert.deepEqual([...files[name].subarray(0, 4)], [0x00, 0x61, 0x73, 0x6d], `${wasm} is no WebAssembly binary`);
    }
    for (const media of readdirSync('media')) assert.ok(names.includes(`extension/media/${media}`), `media/${media} is missing`);
    for (const document of ['package.json', 'readme.md', 'changelog.md', 'LICENSE.txt']) {
      assert.ok(names.includes(`extension/${document}`), `${document} is missing`);
    }
    const manifest = JSON.parse(text('extension/package.json'));
    assert.ok(names.includes(posix.join('extension', manifest.main)), `the manifest's main, ${manifest.main}, is missing`);
    assert.ok(names.includes(posix.join('extension', manifest.icon)), `the manifest's icon, ${manifest.icon}, is missing`);
    assert.equal(manifest.license, 'MIT');
    assert.ok(manifest.categories.length > 0 && manifest.keywords.length > 0, 'categories and keywords');
  });

  test('carries nothing else: no sources, tests, maps, sample data or tooling', () => {
    const stray = names.filter((name) => !ALLOWED.some((allowed) => allowed.test(name)));
    assert.deepEqual(stray, [], 'files outside the allowed places');
    const forbidden = names.filter((name) => FORBIDDEN.some((pattern) => pattern.test(name)));
    assert.deepEqual(forbidden, [], 'sources, tests, maps, sample data or tooling');
    const bundleMaps = BUNDLES.filter((bundle) => /sourceMappingURL/.test(text(`extension/dist/${bundle}`)));
    assert.deepEqual(bundleMaps, [], 'production bundles without source map comments');
  });

  test('every package in node_modules is required by a bundle or by another shipped package', () => {
    const packages = names
      .map((name) => /^extension\/node_modules\/((?:@[^/]+\/)?[^/]+)\/package\.json$/.exec(name)?.[1])
      .filter((name): name is string => name !== undefined);
    assert.ok(packages.includes('@tensorflow/tfjs-core'), 'tfjs-core is shipped');
    const scripts = names.filter((name) => name.endsWith('.js'));
    const unused = packages.filter((pkg) => {
      const quoted = new RegExp(`["']${pkg.replace(/[/.]/g, '\\$&')}(/[^"']*)?["']`);
      return !scripts.some((script) => !script.startsWith(`extension/node_modules/${pkg}/`) && quoted.test(text(script)));
    });
    assert.deepEqual(unused, [], 'packages that nothing loads');
  });

  test('its README is the user guide with its screenshots inlined, and links to nothing missing', () => {
    const readme = text('extension/readme.md');
    const guide = readFileSync('USER_GUIDE.md', 'utf8');
    const guideImages = [...guide.matchAll(/!\[[^\]]*\]\((docs\/screenshots\/[\w-]+\.png)\)/g)].map((m) => m[1]);
    assert.ok(guideImages.length >= 1, 'the user guide shows at least one screenshot');
    // Each relative image became a data: URI holding that very file (relative ones show as broken in VS Code).
    const inlined = [...readme.matchAll(/!\[[^\]]*\]\(data:image\/png;base64,([A-Za-z0-9+/=]+)\)/g)].map((m) => m[1]);
    assert.equal(inlined.length, guideImages.length, 'every screenshot of USER_GUIDE.md is inlined');
    guideImages.forEach((image, i) => assert.ok(Buffer.from(inlined[i], 'base64').equals(readFileSync(image)), `${image} is inlined as itself`));
    let k = 0;
    const restored = readme.replace(/data:image\/png;base64,[A-Za-z0-9+/=]+/g, () => guideImages[k++]);
    assert.equal(restored, guide, 'the packaged README is USER_GUIDE.md but for the inlined images');
    const targets = [...readme.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]);
    const relative = targets.filter((target) => !/^(https:|data:image\/|#)/.test(target));
    assert.deepEqual(relative, [], 'links and images that are neither https, inlined nor anchors');
  });

  describe('the command line it carries, run from the unpacked package', () => {
    let temp: string;
    const cli = (...args: string[]) => execFileAsync(process.execPath, [join(temp, 'extension/dist/cli.js'), ...args], { cwd: temp });

    before(() => {
      // Unpacked outside the repository, so that Node cannot fall back to the repository's node_modules.
      temp = mkdtempSync(join(tmpdir(), 'vsix-'));
      for (const [name, data] of Object.entries(files)) {
        if (name.endsWith('/')) continue;
        mkdirSync(dirname(join(temp, name)), { recursive: true });
        writeFileSync(join(temp, name), data);
      }
      writeSyntheticPngs(join(temp, 'images'), 6);
    });
    after(() => rmSync(temp, { recursive: true, force: true }));

    test('trains a model and scores a folder in its worker processes on the wasm backend', async () => {
      const model = join(temp, 'model');
      // prettier-ignore
      const tiny = ['--input-size', '16', '--channels', '4,8', '--residual-blocks', '1', '--codebook-size', '8', '--codebook-dim', '4', '--batch-size', '3'];
      // On two threads: the threaded build starts from the package alone.
      const trained = await cli('train', 'images', '--out', model, '--epochs', '1', ...tiny, '--backend', 'wasm', '--threads', '2');
      assert.match(trained.stdout, /^Trained 1 epoch on 5 images \(1 more for validation\); saved epoch 1, the best/);
      assert.match(trained.stderr, /^backend wasm: selected, wasm \(WebAssembly, CPU, 2 threads\), SIMD on$/m);
      const scored = await cli('score', model, 'images', '--csv', '--processes', '2', '--backend', 'wasm');
      const rows = scored.stdout.trimEnd().split('\r\n');
      assert.equal(rows[0], 'file,score');
      assert.equal(rows.length, 7, scored.stdout);
      assert.ok(
        rows.slice(1).every((row) => /^image\d\.png,\d/.test(row)),
        scored.stdout,
      );
      assert.match(scored.stderr, /wasm/);
    });
  });
});
