// Reads PNG (8/16-bit; gray, RGB, palette, with or without alpha) and JPEG images as gray Volumes of
// depth 1 holding the raw values (0..255, or 0..65535 for 16-bit PNG). Alpha is ignored. Also writes
// gray PNGs (heatmaps).

import { readFile } from 'node:fs/promises';
import { decode as decodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';
import { BadInputError } from './errors';
import { MAX_SCAN_BYTES, formatBytes } from './limits';
import type { Volume } from './volume';

/** Interleaved RGBA pixels (pngjs and jpeg-js both decode to 4 channels). */
interface RgbaImage {
  width: number;
  height: number;
  rgba: ArrayLike<number>;
}

export async function readImage2d(file: string): Promise<Volume> {
  const bytes = await readFile(file);
  const image = /\.png$/i.test(file) ? decodePng(file, bytes) : decodeJpegFile(file, bytes);
  return { dims: [image.width, image.height, 1], spacing: [1, 1, 1], data: toGray(image), rowOrder: 'top-down' };
}

/** PNG width, height and bit depth, from the IHDR chunk that must follow the 8-byte signature. */
const PNG_WIDTH_OFFSET = 16;
const PNG_HEIGHT_OFFSET = 20;
const PNG_BIT_DEPTH_OFFSET = 24;

function decodePng(file: string, bytes: Buffer): RgbaImage {
  // pngjs expands every pixel to 4 samples (of 1 or 2 bytes): refuse sizes beyond the budget first.
  if (bytes.length >= PNG_BIT_DEPTH_OFFSET) {
    const decodedBytes = bytes.readUInt32BE(PNG_WIDTH_OFFSET) * bytes.readUInt32BE(PNG_HEIGHT_OFFSET) * 4 * 2;
    if (decodedBytes > MAX_SCAN_BYTES) {
      throw new BadInputError(
        `${file}: PNG of ${bytes.readUInt32BE(PNG_WIDTH_OFFSET)}x${bytes.readUInt32BE(PNG_HEIGHT_OFFSET)} pixels is too large (limit ${formatBytes(MAX_SCAN_BYTES)})`,
      );
    }
  }
  // pngjs rescales 16-bit samples to 8 bits unless told to skip it.
  const sixteenBit = bytes[PNG_BIT_DEPTH_OFFSET] === 16;
  try {
    const png = PNG.sync.read(bytes, { skipRescale: sixteenBit });
    return { width: png.width, height: png.height, rgba: png.data as ArrayLike<number> };
  } catch (e) {
    throw new BadInputError(`${file}: not a readable PNG image (${(e as Error).message})`);
  }
}

function decodeJpegFile(file: string, bytes: Buffer): RgbaImage {
  try {
    const jpeg = decodeJpeg(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      maxMemoryUsageInMB: MAX_SCAN_BYTES / 2 ** 20,
    });
    return { width: jpeg.width, height: jpeg.height, rgba: jpeg.data };
  } catch (e) {
    throw new BadInputError(`${file}: not a readable JPEG image (${(e as Error).message})`);
  }
}

/**
 * Gray = luma 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601). Gray sources, which both decoders expand to
 * R = G = B, keep their exact value (the weighted sum could be off by a rounding error).
 */
function toGray(image: RgbaImage): Float32Array {
  const gray = new Float32Array(image.width * image.height);
  const { rgba } = image;
  for (let i = 0; i < gray.length; i++) {
    const r = rgba[4 * i];
    const g = rgba[4 * i + 1];
    const b = rgba[4 * i + 2];
    gray[i] = r === g && g === b ? r : 0.299 * r + 0.587 * g + 0.114 * b;
  }
  return gray;
}

/** An 8-bit gray PNG of a row-major image with values in [0, 1] (clipped outside). */
export function encodeGrayPng(data: Float32Array, w: number, h: number): Buffer {
  const png = new PNG({ width: w, height: h });
  png.data = Buffer.alloc(w * h);
  for (let i = 0; i < png.data.length; i++) png.data[i] = Math.round(255 * Math.min(1, Math.max(0, data[i])));
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}
