// The overlays message the host sends the scan viewer after scoring, and keeps for webviews that reload:
// every map and restoration quantized to 16 bits (webview/quantizedGrid.ts) into buffers of its own.
// Copying matters as much as the halving: the worker's result arrives over IPC as one buffer that maps
// are views into (those whose offset happens to be aligned; the others are copies), together with the
// normalized scan, which the viewer does not show; keeping or posting such a map keeps, and sends, that
// whole buffer. For a 256^3 volume with every map: 1024 MiB before, 288 MiB now (bench/memory.bench.ts).

import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Grid, ScanScore } from '../../models/worker/protocol';
import type { HostToWebview } from '../../webview/protocol';
import { quantizeGrid, type QuantizedGrid } from '../../webview/quantizedGrid';

export type OverlaysMessage = Extract<HostToWebview, { type: 'overlays' }>;

/** Quantizes grids one at a time, letting the extension host's other work run in between (a 256^3 grid takes a fraction of a second). */
async function quantizeInTurns(grids: Grid[]): Promise<QuantizedGrid[]> {
  const quantized: QuantizedGrid[] = [];
  for (const grid of grids) {
    quantized.push(quantizeGrid(grid));
    await nextTurn();
  }
  return quantized;
}

/** The overlays message of a scoring `result` by `model` (the model folder's name); `postProcessed` false for raw maps. */
export async function overlaysMessage(result: ScanScore, model: string, postProcessed = true): Promise<OverlaysMessage> {
  const { score, sliceScores, restorations } = result;
  const names = Object.keys(result.maps) as (keyof ScanScore['maps'])[];
  const mapGrids = names.map((name) => result.maps[name] as Grid);
  const restorationGrids = restorations ? [restorations.mean, ...restorations.samples] : [];
  const quantized = await quantizeInTurns([...mapGrids, ...restorationGrids]);
  const maps = Object.fromEntries(names.map((name, i) => [name, quantized[i]])) as OverlaysMessage['maps'];
  const [mean, ...samples] = quantized.slice(names.length);
  return { type: 'overlays', maps, score, sliceScores, model, restorations: restorations && { mean, samples }, postProcessed };
}

/** The bytes of every distinct ArrayBuffer reachable from `value`: what holding it keeps alive, and what posting it sends. */
export function heldBufferBytes(value: unknown): number {
  const buffers = new Set<ArrayBufferLike>();
  const visit = (v: unknown): void => {
    if (ArrayBuffer.isView(v)) buffers.add(v.buffer);
    else if (v instanceof ArrayBuffer) buffers.add(v);
    else if (typeof v === 'object' && v !== null) Object.values(v).forEach(visit);
  };
  visit(value);
  return [...buffers].reduce((sum, buffer) => sum + buffer.byteLength, 0);
}
