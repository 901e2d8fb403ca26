// Builds the separate bundles: extension host, model worker, CLI, webview; with --tests also the
// unit tests, the package test and the integration suite/runners. Beside the Node bundles it writes the
// threaded wasm backend (scripts/patchWasmBackend.mjs). Usage: node esbuild.mjs [--production] [--tests]
import * as esbuild from 'esbuild';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeThreadedWasmBackend } from './scripts/patchWasmBackend.mjs';

const production = process.argv.includes('--production');
const withTests = process.argv.includes('--tests');

// Loaded at run time from node_modules, never bundled: VS Code's API, the tfjs family (one shared
// tfjs-core instance, so that tfjs-node found at run time registers into the same engine) and
// optional native/GPU packages.
const nodeExternals = ['vscode', '@tensorflow/*', 'webgpu', 'mocha', 'playwright-core', '@vscode/test-electron'];

const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning' };
const nodeTarget = { ...common, platform: 'node', format: 'cjs', target: 'node20', external: nodeExternals };

const builds = [
  { ...nodeTarget, entryPoints: { extension: 'extension/extension.ts' }, outdir: 'dist' },
  { ...nodeTarget, entryPoints: { worker: 'models/worker/main.ts', cli: 'models/cli.ts' }, outdir: 'dist' },
  {
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    entryPoints: { webview: 'webview/main.ts', gallery: 'webview/gallery/main.ts', training: 'webview/training/main.ts' },
    outdir: 'dist',
  },
];

if (withTests) {
  const unitTests = readdirSync('test/unit')
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => join('test/unit', f));
  builds.push({ ...nodeTarget, sourcemap: true, entryPoints: unitTests, outdir: 'out/test/unit' });
  const packageTests = readdirSync('test/package')
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => join('test/package', f));
  builds.push({ ...nodeTarget, sourcemap: true, entryPoints: packageTests, outdir: 'out/test/package' });
  const suite = readdirSync('test/integration/suite')
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join('test/integration/suite', f));
  builds.push({ ...nodeTarget, sourcemap: true, entryPoints: suite, outdir: 'out/test/integration/suite' });
  const runners = readdirSync('test/integration')
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join('test/integration', f));
  builds.push({ ...nodeTarget, sourcemap: true, entryPoints: runners, outdir: 'out/test/integration' });
}

await Promise.all(builds.map((b) => esbuild.build(b)));
// Each Node bundle loads the threaded wasm backend from its own folder (models/runtime/wasmThreads.ts).
for (const outdir of new Set(builds.filter((b) => b.platform === 'node').map((b) => b.outdir))) writeThreadedWasmBackend(outdir);
