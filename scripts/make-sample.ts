// Regenerates the bundled sample workspace `sample/` from the brain-ms data (see sample/README.md):
//   sample/train/  lesion-free axial FLAIR slices of patients 07 and 19, as 8-bit PNGs
//   sample/scans/  patient 26's FLAIR and lesion mask cropped to the brain, and PNG slices with lesions
// Run from the repository root (the data folder defaults to ../shared/data):
//   npx esbuild scripts/make-sample.ts --bundle --platform=node --format=cjs --outfile=out/make-sample.js
//   node out/make-sample.js [dataFolder]

import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { hasForeground } from '../models/io/dataset';
import { encodeGrayPng } from '../models/io/image2d';
import { normalizeVolume } from '../models/io/normalize';
import { encodeNifti1 } from '../models/io/niftiWrite';
import { axialSlice } from '../models/io/slice';
import { readScan, type Volume } from '../models/io/volume';

const dataFolder = resolve(process.argv[2] ?? '../shared/data', 'brain-ms');
const sampleFolder = resolve('sample');

/** Lesion slices for scoring: the largest lesion areas, at least this many slices apart. */
const LESION_SLICES = 3;
const LESION_SLICE_SPACING = 5;

interface Patient {
  id: string;
  flair: Volume;
  /** The FLAIR normalized as the models normalize it (methods.md §9). */
  normalized: Volume;
  mask: Volume;
}

async function readPatient(id: string): Promise<Patient> {
  const flair = await readScan(join(dataFolder, `patient${id}`, 'FLAIR.nii.gz'));
  const mask = await readScan(join(dataFolder, `patient${id}`, 'lesion_mask.nii.gz'));
  return { id, flair, normalized: { ...flair, data: normalizeVolume(flair) }, mask };
}

function fraction(image: Float32Array, above: number): number {
  let count = 0;
  for (let i = 0; i < image.length; i++) if (image[i] > above) count++;
  return count / image.length;
}

function lesionArea(p: Patient, z: number): number {
  return fraction(axialSlice(p.mask, z), 0) * p.mask.dims[0] * p.mask.dims[1];
}

/** Writes slice z of the normalized FLAIR, upright, as `p<id>_z<zzz>.png` in the folder. */
function writeSlicePng(p: Patient, z: number, folder: string): void {
  const [w, h] = p.flair.dims;
  const name = `p${p.id}_z${String(z).padStart(3, '0')}.png`;
  writeFileSync(join(folder, name), encodeGrayPng(axialSlice(p.normalized, z), w, h));
}

function writeTrainingSlices(p: Patient, folder: string): number {
  let written = 0;
  for (let z = 0; z < p.flair.dims[2]; z++) {
    if (hasForeground(axialSlice(p.normalized, z)) && lesionArea(p, z) === 0) {
      writeSlicePng(p, z, folder);
      written++;
    }
  }
  return written;
}

function writeLesionSlices(p: Patient, folder: string): number[] {
  const byArea = Array.from({ length: p.flair.dims[2] }, (_, z) => z).sort((a, b) => lesionArea(p, b) - lesionArea(p, a));
  const chosen: number[] = [];
  for (const z of byArea) {
    if (chosen.length === LESION_SLICES) break;
    if (chosen.every((c) => Math.abs(c - z) >= LESION_SLICE_SPACING)) chosen.push(z);
  }
  for (const z of chosen) writeSlicePng(p, z, folder);
  return chosen.sort((a, b) => a - b);
}

/** Slices first..last (inclusive) of a volume; the affine's origin moves to the first kept slice. */
function cropSlices(v: Volume, first: number, last: number): Volume {
  const sliceSize = v.dims[0] * v.dims[1];
  const affine = v.affine?.map((row) => [...row.slice(0, 3), row[3] + row[2] * first]);
  return {
    dims: [v.dims[0], v.dims[1], last - first + 1],
    spacing: v.spacing,
    data: v.data.slice(first * sliceSize, (last + 1) * sliceSize),
    affine,
  };
}

/** First and last axial slice holding any nonzero voxel. */
function nonzeroSlices(v: Volume): [number, number] {
  const withData = Array.from({ length: v.dims[2] }, (_, z) => z).filter((z) => axialSlice(v, z).some((x) => x !== 0));
  return [withData[0], withData[withData.length - 1]];
}

function max(data: Float32Array): number {
  let result = -Infinity;
  for (let i = 0; i < data.length; i++) result = Math.max(result, data[i]);
  return result;
}

/**
 * Patient 26's FLAIR and lesion mask, cropped to the slices with brain, as uint8 (1 MB instead of 4):
 * the FLAIR scaled by scl_slope = max / 255, its few small negative values (interpolation) clipped to 0.
 */
function writeScans(p: Patient, folder: string): void {
  const [first, last] = nonzeroSlices(p.flair);
  const flair = cropSlices(p.flair, first, last);
  const slope = max(flair.data) / 255;
  writeFileSync(join(folder, `patient${p.id}_FLAIR.nii.gz`), encodeNifti1(flair, { datatype: 'uint8', affine: flair.affine, sclSlope: slope }));
  const mask = cropSlices(p.mask, first, last);
  writeFileSync(join(folder, `patient${p.id}_lesion_mask.nii.gz`), encodeNifti1(mask, { datatype: 'uint8', affine: mask.affine }));
  console.log(`scans: patient${p.id} slices ${first}..${last} of ${p.flair.dims[2]}`);
}

async function main(): Promise<void> {
  const train = join(sampleFolder, 'train');
  const scans = join(sampleFolder, 'scans');
  for (const folder of [train, scans]) {
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder, { recursive: true });
  }
  for (const id of ['07', '19']) {
    console.log(`train: patient${id}: ${writeTrainingSlices(await readPatient(id), train)} lesion-free slices`);
  }
  const p26 = await readPatient('26');
  writeScans(p26, scans);
  console.log(`scans: patient26 PNG slices with lesions: ${writeLesionSlices(p26, scans).join(', ')}`);
  writeFileSync(join(sampleFolder, 'LICENSE-brain-ms.txt'), readFileSync(join(dataFolder, 'LICENSE.txt')));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
