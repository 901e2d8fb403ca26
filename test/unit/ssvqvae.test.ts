// The semi-supervised VQ-VAE (methods.md §3) end to end through the training job: a folder with an
// `anomalous/` sub-folder trains with eta L_normal + (1 - eta) L_anomalous, the anomalies are not used
// as normal images, and the anomalies' quantization distance rises relative to the normal images'
// compared with plain training of the same seed on the same normal images.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { PNG } from 'pngjs';
import { loadTrainingSlices } from '../../models/io/dataset';
import { selectBackend } from '../../models/runtime/backend';
import { loadModel } from '../../models/vqvae/checkpoint';
import type { TrainingConfig, VqVaeConfig } from '../../models/vqvae/config';
import { SeededRandom } from '../../models/vqvae/seededRandom';
import { anomalousHingeLoss, semiSupervisedLoss } from '../../models/vqvae/semiSupervised';
import { runTrain } from '../../models/worker/jobs';

const TINY: VqVaeConfig = { inputSize: 16, channels: [4, 8], residualBlocks: 1, codebookSize: 8, codebookDim: 4, beta: 0.25, dropout: 0 };
// The margin suits this tiny model's distances (about 0.1 for normal images after plain training).
const TRAINING: TrainingConfig = {
  epochs: 16,
  batchSize: 8,
  learningRate: 3e-3,
  seed: 3,
  validationFraction: 0,
  earlyStoppingPatience: 0,
  anomalousMargin: 0.3,
};
const SIZE = 16;
const root = mkdtempSync(join(tmpdir(), 'ssvqvae-'));

before(async () => {
  await selectBackend('wasm');
});
after(() => rmSync(root, { recursive: true, force: true }));

/** Gray 16x16 PNGs: a smooth blob each, plus a bright 4x4 square when `square`. */
function writeImages(folder: string, count: number, seed: number, square: boolean): void {
  mkdirSync(folder, { recursive: true });
  const random = new SeededRandom(seed, 'images');
  for (let n = 0; n < count; n++) {
    const [cx, cy, radius] = [4 + random.next() * 8, 4 + random.next() * 8, 2 + random.next() * 2];
    const [sx, sy] = [random.int(12), random.int(12)];
    const png = new PNG({ width: SIZE, height: SIZE });
    for (let y = 0; y < SIZE; y++) {
      for (let x = 0; x < SIZE; x++) {
        const blob = 20 + 160 * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * radius ** 2));
        const gray = square && x >= sx && x < sx + 4 && y >= sy && y < sy + 4 ? 255 : Math.round(blob);
        png.data.set([gray, gray, gray, 255], 4 * (y * SIZE + x));
      }
    }
    writeFileSync(join(folder, `image${n}.png`), PNG.sync.write(png));
  }
}

/** Mean quantization distance ||z_e - e_k||^2 of the model over the images. */
async function meanDistance(modelDir: string, images: Float32Array[]): Promise<number> {
  const { model } = await loadModel(modelDir);
  const distance = tf.tidy(
    () =>
      tf
        .mean(
          model.forward(
            tf.tensor4d(
              images.flatMap((i) => [...i]),
              [images.length, SIZE, SIZE, 1],
            ),
          ).distance,
        )
        .dataSync()[0],
  );
  model.dispose();
  return distance;
}

const control = { onProgress: () => {}, isCancelled: () => false, log: () => {} };

test('the hinge max(0, m - ||z_e - sg[z_q]||^2) averages over positions and is weighted by eta', () => {
  // Two positions in 1D: distances 0.25 and 4 to their codes; margin 1 -> (0.75 + 0) / 2 = 0.375.
  const zE = tf.tensor4d([0.5, 2], [1, 1, 2, 1]);
  const zQ = tf.tensor4d([0, 0], [1, 1, 2, 1]);
  assert.equal(anomalousHingeLoss(zE, zQ, 1).dataSync()[0], 0.375);
  // Its gradient pushes only z_e (away from the code), by -2 (z_e - z_q) / 2 where the hinge is active.
  const [dzE, dzQ] = tf.grads((a: tf.Tensor, b: tf.Tensor) => anomalousHingeLoss(a as tf.Tensor4D, b as tf.Tensor4D, 1))([zE, zQ]);
  assert.deepEqual(
    Array.from(dzE.dataSync(), (v) => v + 0),
    [-0.5, 0],
  ); // + 0 turns -0 into 0
  assert.deepEqual(
    Array.from(dzQ.dataSync(), (v) => v + 0),
    [0, 0],
  );
  assert.equal(semiSupervisedLoss(tf.scalar(2), tf.scalar(4), 0.25).dataSync()[0], 0.25 * 2 + 0.75 * 4);
});

test("ss-VQ-VAE on a folder with anomalous/ raises the anomalies' quantization distance relative to plain training", async () => {
  const withAnomalies = join(root, 'with-anomalies');
  writeImages(withAnomalies, 24, 1, false);
  writeImages(join(withAnomalies, 'anomalous'), 8, 2, true);
  const plainFolder = join(root, 'plain');
  writeImages(plainFolder, 24, 1, false); // the same normal images

  const ss = await runTrain({ folder: withAnomalies, modelDir: join(root, 'ss-model'), model: TINY, training: TRAINING }, 'wasm', control);
  const plain = await runTrain({ folder: plainFolder, modelDir: join(root, 'plain-model'), model: TINY, training: TRAINING }, 'wasm', control);
  assert.equal(ss.images, 24, 'the anomalies are not trained as normal images');
  assert.equal(plain.images, 24);
  const { manifest } = await loadModel(join(root, 'ss-model'));
  assert.equal(manifest.method, 'ss-vqvae');
  assert.equal(manifest.training.anomalousImages, 8);
  assert.equal(manifest.training.eta, 0.5);

  // Held-out images of both kinds.
  writeImages(join(root, 'test-normal'), 8, 11, false);
  writeImages(join(root, 'test-anomalous'), 8, 12, true);
  const normal = (await loadTrainingSlices(join(root, 'test-normal'), SIZE)).slices;
  const anomalous = (await loadTrainingSlices(join(root, 'test-anomalous'), SIZE)).slices;
  const ratio = async (dir: string): Promise<number> => (await meanDistance(dir, anomalous)) / (await meanDistance(dir, normal));
  const [ssRatio, plainRatio] = [await ratio(join(root, 'ss-model')), await ratio(join(root, 'plain-model'))];
  // Measured: ss 1.49, plain 0.68. Plain training places unseen squares no farther from the codebook than normal blobs.
  assert.ok(ssRatio > 1 && ssRatio > plainRatio * 1.5, `anomalous/normal distance ratio: ss ${ssRatio.toFixed(3)} vs plain ${plainRatio.toFixed(3)}`);
});
