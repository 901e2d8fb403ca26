// Corrupted real files never crash or hang the readers: truncations and random byte flips of a NIfTI
// volume (in its gzip stream and in its uncompressed header and data), a JPEG and a PNG each end, within
// a time bound, in either a volume of finite values or a BadInputError naming the file.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { gunzipSync, gzipSync } from 'fflate';
import { BadInputError } from '../../models/io/errors';
import { readScan } from '../../models/io/volume';
import { SeededRandom } from '../../models/vqvae/seededRandom';
import { tempFolder } from './ioFixtures';

const temp = tempFolder('io-corruption-');
const SAMPLE_SCAN = resolve(process.cwd(), 'sample/scans/patient26_lesion_mask.nii.gz');
const DATA = resolve(process.cwd(), '../shared/data');
const TILE = join(DATA, 'magnetic-tile/MT_Blowhole/Imgs/exp1_num_108719');
const skipTile = existsSync(`${TILE}.jpg`) ? false : `shared data absent: ${DATA}`;

/** Longest time one read may take (the intact files read in well under 1 s). */
const MAX_CASE_MS = 5000;
const CASES = 16;

type Outcome = 'volume' | 'refused';

/** Reads one corrupted file: a volume with finite values, or a BadInputError that names it. */
async function outcomeOf(name: string, bytes: Uint8Array): Promise<Outcome> {
  const file = temp.write(name, bytes);
  const start = Date.now();
  try {
    const volume = await readScan(file);
    assert.equal(volume.data.length, volume.dims[0] * volume.dims[1] * volume.dims[2], name);
    assert.ok(volume.data.every(Number.isFinite), `${name}: non-finite values`);
    return 'volume';
  } catch (e) {
    assert.ok(e instanceof BadInputError, `${name}: ${String(e)} is not a BadInputError`);
    assert.ok(e.message.startsWith(`${file}: `), `${name}: message does not name the file: ${e.message}`);
    return 'refused';
  } finally {
    assert.ok(Date.now() - start < MAX_CASE_MS, `${name}: read took ${Date.now() - start} ms`);
  }
}

/** A copy of the bytes with `count` random bytes, within [from, to), set to random values. */
function flipped(bytes: Uint8Array, random: SeededRandom, count: number, from = 0, to = bytes.length): Uint8Array {
  const copy = bytes.slice();
  for (let i = 0; i < count; i++) copy[from + random.int(to - from)] = random.int(256);
  return copy;
}

/** Runs `CASES` truncations and `CASES` flips of the file and returns how the reads ended. */
async function corrupt(name: string, bytes: Uint8Array, random: SeededRandom, flipRange?: [number, number]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (let i = 0; i < CASES; i++) {
    outcomes.push(await outcomeOf(`cut${i}-${name}`, bytes.subarray(0, random.int(bytes.length))));
    outcomes.push(await outcomeOf(`flip${i}-${name}`, flipped(bytes, random, 1 + random.int(8), ...(flipRange ?? []))));
  }
  return outcomes;
}

test('a truncated or byte-flipped .nii.gz ends in a volume or a clear error', async () => {
  const outcomes = await corrupt('mask.nii.gz', readFileSync(SAMPLE_SCAN), new SeededRandom(1, 'gz'));
  assert.ok(outcomes.includes('refused'));
});

test('flips in the uncompressed header and data, and truncations of the .nii, end in a volume or a clear error', async () => {
  const nii = gunzipSync(readFileSync(SAMPLE_SCAN));
  const random = new SeededRandom(2, 'nii');
  const header = await corrupt('header.nii', nii, random, [0, 352]);
  assert.ok(header.includes('volume') && header.includes('refused'), 'some header flips are harmless, some fatal');
  // Flipped voxel values are just other values.
  assert.equal(await outcomeOf('data.nii.gz', gzipSync(flipped(nii, random, 1000, 352))), 'volume');
});

test('a truncated or byte-flipped JPEG or PNG ends in an image or a clear error', { skip: skipTile }, async () => {
  const random = new SeededRandom(3, 'images');
  const jpeg = await corrupt('tile.jpg', readFileSync(`${TILE}.jpg`), random);
  const png = await corrupt('tile.png', readFileSync(`${TILE}.png`), random);
  assert.ok(jpeg.includes('refused') && png.includes('refused'));
});
