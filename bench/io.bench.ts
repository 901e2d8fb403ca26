// Throughput of reading and preparing training data (not a test): decode + normalize + slice + resize
// of the brain-ms patient07 FLAIR (182x218x182 float32 .nii.gz) and of 100 magnetic-tile JPEGs and
// their 100 PNG masks, from ../shared/data. Prints MB/s (compressed file bytes, and decoded Float32
// voxels) and slices/s. Run from the repository root:
//   npx esbuild bench/io.bench.ts --bundle --platform=node --format=cjs --external:@tensorflow/* --outdir=out/bench && node out/bench/io.bench.js

import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { hasForeground } from '../models/io/dataset';
import { normalizeVolume } from '../models/io/normalize';
import { resizeBilinear } from '../models/io/resize';
import { axialSlice } from '../models/io/slice';
import { readScan, type Volume } from '../models/io/volume';

const DATA = resolve(process.argv[2] ?? '../shared/data');
const INPUT_SIZE = 128;
const RUNS = 3;
const MB = 2 ** 20;

/** Normalizes a scan and resizes its slices with foreground (all of a 2D image) to the model size. */
function prepare(scan: Volume): number {
  const normalized = { ...scan, data: normalizeVolume(scan) };
  const [nx, ny, nz] = scan.dims;
  let slices = 0;
  for (let z = 0; z < nz; z++) {
    const image = axialSlice(normalized, z);
    if (nz > 1 && !hasForeground(image)) continue;
    resizeBilinear(image, nx, ny, INPUT_SIZE, INPUT_SIZE);
    slices++;
  }
  return slices;
}

interface Timing {
  readMs: number;
  prepareMs: number;
  fileBytes: number;
  voxelBytes: number;
  slices: number;
}

async function measure(files: string[]): Promise<Timing> {
  const timing: Timing = { readMs: 0, prepareMs: 0, fileBytes: 0, voxelBytes: 0, slices: 0 };
  for (const file of files) {
    const t0 = performance.now();
    const scan = await readScan(file);
    const t1 = performance.now();
    timing.slices += prepare(scan);
    timing.prepareMs += performance.now() - t1;
    timing.readMs += t1 - t0;
    timing.fileBytes += statSync(file).size;
    timing.voxelBytes += scan.data.byteLength;
  }
  return timing;
}

/** The median run by total time, printed. */
async function report(name: string, files: string[]): Promise<void> {
  const runs: Timing[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await measure(files));
  runs.sort((a, b) => a.readMs + a.prepareMs - (b.readMs + b.prepareMs));
  const t = runs[Math.floor(RUNS / 2)];
  const total = (t.readMs + t.prepareMs) / 1000;
  console.log(
    `${name}: decode ${t.readMs.toFixed(0)} ms (${(t.fileBytes / MB / (t.readMs / 1000)).toFixed(1)} MB/s of files, ` +
      `${(t.voxelBytes / MB / (t.readMs / 1000)).toFixed(1)} MB/s of Float32 voxels); normalize + slice + resize to ` +
      `${INPUT_SIZE}x${INPUT_SIZE} ${t.prepareMs.toFixed(0)} ms; ${t.slices} slices, ${(t.slices / total).toFixed(0)} slices/s overall`,
  );
}

async function main(): Promise<void> {
  await report('brain-ms patient07 FLAIR 182x218x182 float32 .nii.gz', [join(DATA, 'brain-ms/patient07/FLAIR.nii.gz')]);
  const tiles = join(DATA, 'magnetic-tile/MT_Free/Imgs');
  const jpegs = readdirSync(tiles)
    .filter((f) => f.endsWith('.jpg'))
    .sort()
    .slice(0, 100);
  await report(
    '100 magnetic-tile JPEGs',
    jpegs.map((f) => join(tiles, f)),
  );
  await report(
    '100 magnetic-tile PNG masks',
    jpegs.map((f) => join(tiles, f.replace(/\.jpg$/, '.png'))),
  );
}

void main();
