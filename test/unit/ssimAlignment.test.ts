import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { resizeBilinear } from '../../models/io/resize';
import { ssimAlignmentMap } from '../../models/scoring/ssimAlignment';

before(async () => {
  await tf.setBackend('cpu');
});

test('SSIM+AM = dilated upsampled AM x (1 - SSIM), on a 2 x 2 latent grid and a 4 x 4 image, leaking no tensor', () => {
  // AM [[0, 4], [8, 12]] upsamples to value(x, y) = 4 wx + 8 wy with weights 0, 0.25, 0.75, 1
  // (maps.test), i.e. rows [0 1 3 4], [2 3 5 6], [6 7 9 10], [8 9 11 12]; its 3 x 3 dilation takes the
  // bottom-right neighbour: rows [3 5 6 6], [7 9 10 10], [9 11 12 12], [9 11 12 12].
  const dilated = [3, 5, 6, 6, 7, 9, 10, 10, 9, 11, 12, 12, 9, 11, 12, 12];
  const ssimAnomaly = Array.from({ length: 16 }, (_, i) => (i % 3) * 0.5); // 0, 0.5, 1, 0, ...
  const tensorsBefore = tf.memory().numTensors;
  const anomaly = tf.tensor4d(ssimAnomaly, [1, 4, 4, 1]);
  const distance = tf.tensor3d([0, 4, 8, 12], [1, 2, 2]);

  const combined = ssimAlignmentMap(anomaly, distance, 3);

  const values = Array.from(combined.dataSync());
  dilated.forEach((d, i) => assert.ok(Math.abs(values[i] - d * ssimAnomaly[i]) < 1e-5, `pixel ${i}: ${values[i]} != ${d * ssimAnomaly[i]}`));
  tf.dispose([anomaly, distance, combined]);
  assert.equal(tf.memory().numTensors, tensorsBefore);
});

test('with no dilation and 1 - SSIM = 1 the map is the alignment map upsampled as maps.ts does', () => {
  const latent = [0.3, 1.2, 0.1, 2, 0.7, 0.4, 0, 1.5, 0.9];
  const anomaly = tf.ones([1, 12, 12, 1]) as tf.Tensor4D;
  const distance = tf.tensor3d(latent, [1, 3, 3]);
  const combined = ssimAlignmentMap(anomaly, distance, 1);
  const expected = resizeBilinear(Float32Array.from(latent), 3, 3, 12, 12);
  const values = combined.dataSync();
  expected.forEach((e, i) => assert.ok(Math.abs(values[i] - e) < 1e-5, `pixel ${i}: ${values[i]} != ${e}`));
  tf.dispose([anomaly, distance, combined]);
});

test('batches must match', () => {
  const anomaly = tf.ones([2, 4, 4, 1]) as tf.Tensor4D;
  const distance = tf.zeros([1, 2, 2]) as tf.Tensor3D;
  assert.throws(() => ssimAlignmentMap(anomaly, distance), /2 SSIM maps but 1 alignment maps/);
  tf.dispose([anomaly, distance]);
});
