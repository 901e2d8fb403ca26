// The volume index of a 4D NIfTI through the worker: readScan gives the volume asked for and the file's
// volume count, scoreScan scores that volume, and an index out of range is a bad-input error naming
// the count.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { BadInputError } from '../../models/io/errors';
import { normalizeVolume } from '../../models/io/normalize';
import { readScan } from '../../models/io/volume';
import { selectBackend } from '../../models/runtime/backend';
import { handlers } from '../../models/worker/handlers';
import { type JobControl, runScoreScan, runTrain } from '../../models/worker/jobs';
import { ModelCache } from '../../models/worker/modelCache';
import { handWrittenNifti, tempFolder } from './ioFixtures';
import { TINY_MODEL, TINY_TRAINING, writeSyntheticPngs } from './workerFixtures';

const temp = tempFolder('worker-volume-index-');
const control: JobControl<never> = { onProgress: () => undefined, isCancelled: () => false, log: () => undefined };

// Two 2x1x1 volumes: volume 0 holds 1, 2 and volume 1 holds 7, 9.
const file = temp.write('two-volumes.nii', handWrittenNifti({ littleEndian: true, dims: [2, 1, 1, 2], datatype: 2, bytes: 1, values: [1, 2, 7, 9] }));
const outOfRange = /two-volumes\.nii: volume index 2 is out of range \(the file holds 2 volumes, 0 to 1\)/;

test('readScan gives the volume asked for and the number of volumes of a 4D file', async () => {
  const first = await handlers.readScan({ file }, control);
  assert.deepEqual([...first.image.data], [1, 2]);
  assert.equal(first.volumeCount, 2);
  const second = await handlers.readScan({ file, volumeIndex: 1 }, control);
  assert.deepEqual(second.image.dims, [2, 1, 1]);
  assert.deepEqual([...second.image.data], [7, 9]);
  assert.equal(second.volumeCount, 2);
});

test('readScan refuses a volume index out of range, naming the count', async () => {
  await assert.rejects(handlers.readScan({ file, volumeIndex: 2 }, control), (error: unknown) => {
    assert.ok(error instanceof BadInputError);
    assert.match(error.message, outOfRange);
    return true;
  });
});

test('a 3D file holds one volume', async () => {
  const threeD = temp.write('one-volume.nii', handWrittenNifti({ littleEndian: true, dims: [2, 1, 1], datatype: 2, bytes: 1, values: [3, 4] }));
  assert.equal((await handlers.readScan({ file: threeD }, control)).volumeCount, 1);
});

// For scoring: a model trained one epoch on synthetic PNGs, and a 16x16x1 file of two volumes (an x ramp, then a y ramp).
const modelDir = join(temp.dir, 'model');
const side = 16;
const ramp = (f: (x: number, y: number) => number) => Array.from({ length: side * side }, (_, i) => f(i % side, Math.floor(i / side)));
const volumes = temp.write(
  'two-slices.nii',
  handWrittenNifti({ littleEndian: true, dims: [side, side, 1, 2], datatype: 2, bytes: 1, values: [...ramp((x) => 10 + x), ...ramp((_, y) => 100 + 5 * y)] }),
);

before(async () => {
  await selectBackend('wasm');
  writeSyntheticPngs(join(temp.dir, 'train'), 4);
  await runTrain(
    { folder: join(temp.dir, 'train'), modelDir, model: TINY_MODEL, training: { ...TINY_TRAINING, epochs: 1, validationFraction: 0 } },
    'wasm',
    control,
  );
});

test('scoreScan scores the volume asked for; out of range is a bad-input error', async () => {
  const scored = await runScoreScan({ modelDir, file: volumes, volumeIndex: 1 }, new ModelCache(), control);
  const expected = normalizeVolume(await readScan(volumes, undefined, { volumeIndex: 1 }));
  const volume0 = normalizeVolume(await readScan(volumes));
  assert.deepEqual([...scored.image.data], [...expected]);
  assert.notDeepEqual([...scored.image.data], [...volume0], 'the two volumes normalize differently');
  await assert.rejects(runScoreScan({ modelDir, file, volumeIndex: 2 }, new ModelCache(), control), outOfRange);
});
