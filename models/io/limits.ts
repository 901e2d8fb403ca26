// Memory budget for reading one scan: larger files are refused with a clear message instead of
// exhausting the worker's memory.

/** Largest uncompressed file, and largest Float32 voxel array, that a scan may need: 2 GiB. */
export const MAX_SCAN_BYTES = 2 ** 31;

export function formatBytes(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GiB` : `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
