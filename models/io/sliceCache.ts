// An in-memory cache of the decoded, normalized and resized slices of scan files, so that reading the
// same folder again (training then validation, a fine-tune, another run in the same worker) does not
// decode the files again. Entries are keyed by file, modification time, size and the preparation
// options, so an edited file is read anew; the least recently used entries go beyond the byte budget.

import { statSync } from 'node:fs';

/** Default budget: 1 GiB of Float32 slices (e.g. 16k slices of 128x128). */
export const DEFAULT_SLICE_CACHE_BYTES = 2 ** 30;

export class SliceCache {
  private readonly entries = new Map<string, Float32Array[]>();
  private bytes = 0;
  /** Lookups answered from the cache, and lookups that had to read the file. */
  hits = 0;
  misses = 0;

  constructor(private readonly maxBytes = DEFAULT_SLICE_CACHE_BYTES) {}

  /** The key of a file as it is now on disk, prepared with the given options (any JSON-able value). */
  static keyOf(file: string, options: unknown): string {
    const { mtimeMs, size } = statSync(file);
    return JSON.stringify([file, mtimeMs, size, options]);
  }

  /** The cached slices, or those `make` gives (then cached). */
  async getOrMake(key: string, make: () => Promise<Float32Array[]>): Promise<Float32Array[]> {
    const cached = this.entries.get(key);
    if (cached) {
      this.hits++;
      this.entries.delete(key); // re-inserted last: most recently used
      this.entries.set(key, cached);
      return cached;
    }
    this.misses++;
    const slices = await make();
    this.entries.set(key, slices);
    this.bytes += sizeOf(slices);
    for (const [oldKey, old] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldKey);
      this.bytes -= sizeOf(old);
    }
    return slices;
  }
}

function sizeOf(slices: Float32Array[]): number {
  return slices.reduce((sum, s) => sum + s.byteLength, 0);
}
