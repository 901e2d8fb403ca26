// PNG and JPEG reading (gray, RGB, 16-bit, JPEG), the gray PNG writer, and scan-file recognition.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { crc32, deflateSync } from 'node:zlib';
import { encode as encodeJpeg } from 'jpeg-js';
import { PNG, type PackerOptions } from 'pngjs';
import { BadInputError } from '../../models/io/errors';
import { encodeGrayPng } from '../../models/io/image2d';
import { isScanFile, readScan } from '../../models/io/volume';

const dir = mkdtempSync(join(tmpdir(), 'io-image2d-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function tempFile(name: string, bytes: Uint8Array): string {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

/** A PNG written by pngjs from raw samples laid out as `options` describe (16-bit: native-endian Uint16). */
function png(width: number, height: number, samples: Buffer, options: PackerOptions): Buffer {
  const image = new PNG({ width, height });
  image.data = samples;
  return PNG.sync.write(image, options);
}

test('8-bit gray PNG reads back its values as a [w, h, 1] volume', async () => {
  const values = [0, 1, 127, 128, 254, 255];
  const file = tempFile('gray8.png', png(3, 2, Buffer.from(values), { colorType: 0, inputColorType: 0, inputHasAlpha: false }));
  const v = await readScan(file);
  assert.deepEqual(v.dims, [3, 2, 1]);
  assert.deepEqual(v.spacing, [1, 1, 1]);
  assert.deepEqual(v.data, Float32Array.from(values));
});

test('RGB PNG becomes luma 0.299 R + 0.587 G + 0.114 B; gray pixels keep their value', async () => {
  const rgb = [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 10, 10];
  const file = tempFile('rgb.png', png(4, 1, Buffer.from(rgb), { colorType: 2, inputColorType: 2, inputHasAlpha: false }));
  const v = await readScan(file);
  assert.deepEqual(v.data, Float32Array.from([0.299 * 255, 0.587 * 255, 0.114 * 255, 10]));
});

test('RGBA and gray+alpha PNGs: alpha is ignored, color becomes luma', async () => {
  const rgba = [255, 0, 0, 10, 30, 30, 30, 255];
  const v = await readScan(tempFile('rgba.png', png(2, 1, Buffer.from(rgba), { colorType: 6, inputColorType: 6, inputHasAlpha: true })));
  assert.deepEqual(v.data, Float32Array.from([0.299 * 255, 30]));
  const grayAlpha = [40, 0, 90, 200];
  const ga = await readScan(tempFile('ga.png', png(2, 1, Buffer.from(grayAlpha), { colorType: 4, inputColorType: 4, inputHasAlpha: true })));
  assert.deepEqual(ga.data, Float32Array.from([40, 90]));
});

/** A PNG chunk: length, type, data, CRC-32 of type and data. */
function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An 8-bit palette PNG (color type 3), written chunk by chunk: pngjs does not write palettes. */
function palettePng(width: number, palette: number[][], indices: number[]): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(indices.length / width, 4);
  header.set([8, 3, 0, 0, 0], 8); // bit depth, color type, compression, filter, interlace
  const rows = [];
  for (let y = 0; y < indices.length / width; y++) rows.push(0, ...indices.slice(y * width, (y + 1) * width)); // filter 0
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('PLTE', Buffer.from(palette.flat())),
    chunk('IDAT', deflateSync(Buffer.from(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

test('palette PNG pixels take their palette colour, as luma', async () => {
  const v = await readScan(
    tempFile(
      'palette.png',
      palettePng(
        2,
        [
          [0, 0, 0],
          [200, 200, 200],
          [0, 0, 255],
        ],
        [1, 0, 2, 1],
      ),
    ),
  );
  assert.deepEqual(v.dims, [2, 2, 1]);
  assert.deepEqual(v.data, Float32Array.from([200, 0, 0.114 * 255, 200]));
});

test('16-bit gray PNG keeps its 0..65535 values', async () => {
  const values = [0, 1, 1000, 40000, 65535, 257];
  const samples = Buffer.from(Uint16Array.from(values).buffer);
  const file = tempFile('gray16.png', png(2, 3, samples, { colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 16 }));
  const v = await readScan(file);
  assert.deepEqual(v.dims, [2, 3, 1]);
  assert.deepEqual(v.data, Float32Array.from(values));
});

test('JPEG decodes to the gray level it was encoded with (within compression error)', async () => {
  const [width, height] = [16, 8];
  const rgba = Buffer.alloc(width * height * 4, 200);
  const file = tempFile('flat.JPG', encodeJpeg({ width, height, data: rgba }, 95).data);
  const v = await readScan(file);
  assert.deepEqual(v.dims, [16, 8, 1]);
  for (const x of v.data) assert.ok(Math.abs(x - 200) <= 2, `value ${x}`);
});

test('encodeGrayPng maps [0, 1] to 0..255, clipping outside', async () => {
  const file = tempFile('heat.png', encodeGrayPng(Float32Array.from([0, 0.5, 1, 2, -1, 0.25]), 3, 2));
  const v = await readScan(file);
  assert.deepEqual(v.dims, [3, 2, 1]);
  assert.deepEqual(v.data, Float32Array.from([0, 128, 255, 255, 0, 64]));
});

test('undecodable images and unsupported names are BadInputErrors naming the file', async () => {
  for (const name of ['broken.png', 'broken.jpeg']) {
    const file = tempFile(name, Buffer.from('not an image at all'));
    await assert.rejects(readScan(file), (e: unknown) => e instanceof BadInputError && e.message.startsWith(`${file}: not a readable`));
  }
  const huge = palettePng(2, [[0, 0, 0]], [0, 0]);
  huge.writeUInt32BE(100000, 16); // IHDR width and height: 10^10 pixels
  huge.writeUInt32BE(100000, 20);
  const hugeFile = tempFile('huge.png', huge);
  await assert.rejects(
    readScan(hugeFile),
    (e: unknown) => e instanceof BadInputError && e.message === `${hugeFile}: PNG of 100000x100000 pixels is too large (limit 2.0 GiB)`,
  );
  const missing = join(dir, 'missing.png');
  await assert.rejects(readScan(missing), (e: unknown) => e instanceof BadInputError && e.message.startsWith(`${missing}: cannot be read`));
  await assert.rejects(readScan(join(dir, 'notes.txt')), BadInputError);
});

test('isScanFile recognizes the supported extensions in any case', () => {
  for (const name of ['a.nii', 'b.NII.GZ', 'c.png', 'd.Jpg', 'e.jpeg']) assert.equal(isScanFile(name), true, name);
  for (const name of ['a.txt', 'b.gz', 'c.nii.gz.bak', 'png', 'd.tif']) assert.equal(isScanFile(name), false, name);
});
