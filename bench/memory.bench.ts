// Host-side memory of the scan viewer for a scored 256x256x256 float32 volume with every map (the 5 of
// the VQ-VAE and the 3 of the prior) and the mean restoration. A forked copy of this script plays the
// worker and sends the result over Node's 'advanced' IPC, as dist/worker.js does; then the host builds
// the overlays message it keeps for reloading webviews and posts to them: before, the float32 maps as
// received; now, quantized to 16 bits (extension/scanEditor/overlaysMessage.ts). Prints the bytes each
// message holds (and posts) and process.memoryUsage().arrayBuffers once everything else is garbage,
// then what the webview holds and how long it takes to load the overlays and draw a slice in each view.
// Not a test. Run from the repository root (scripts/bench.sh does):
//   npx esbuild bench/memory.bench.ts --bundle --platform=node --format=cjs --outdir=out/bench && node --expose-gc out/bench/memory.bench.js

import { fork } from 'node:child_process';
import { POST_PROCESSING_OFF } from '../models/scoring/postProcessing';
import { heldBufferBytes, overlaysMessage, type OverlaysMessage } from '../extension/scanEditor/overlaysMessage';
import { ALL_MAP_NAMES, type Grid, type ScanScore } from '../models/worker/protocol';
import { VIEW_AXES } from '../webview/orthoSlice';
import { renderSlice } from '../webview/render';
import { loadOverlays, loadScan, sliceRequestFor } from '../webview/scene';
import { DEFAULT_STATE } from '../webview/viewerState';

const SIDE = 256;
const VOXELS = SIDE ** 3;
const MIB = 2 ** 20;
const mib = (bytes: number): string => `${(bytes / MIB).toFixed(0)} MiB`;
const WORKER_ARGUMENT = 'worker';

/** A 256^3 volume of uneven values (k sets the maps apart). */
function volume(k: number): Grid {
  const data = new Float32Array(VOXELS);
  for (let i = 0; i < VOXELS; i++) data[i] = ((i * (k + 3)) % 1009) / 1009 + k;
  return { dims: [SIDE, SIDE, SIDE], data };
}

/** What the worker sends for the scored volume: the normalized scan, every map and the mean restoration. */
function scoredVolume(): ScanScore {
  const maps = Object.fromEntries(ALL_MAP_NAMES.map((name, k) => [name, volume(k)])) as ScanScore['maps'];
  return {
    file: 'brain.nii.gz',
    image: volume(9),
    maps,
    sliceScores: new Array(SIDE).fill(0.5),
    score: 0.5,
    fit: { modality: 'volume', size: [1, 1], foregroundFraction: 1, reconstructionL1: 0 },
    postProcessing: POST_PROCESSING_OFF,
    restorations: { mean: volume(10), samples: [] },
  };
}

/** The scored volume as the host receives it from a forked worker. */
function receivedScore(): Promise<ScanScore> {
  const worker = fork(__filename, [WORKER_ARGUMENT], { serialization: 'advanced' });
  return new Promise((resolve, reject) => {
    worker.once('message', (message) => resolve(message as ScanScore));
    worker.once('error', reject);
  });
}

const collectGarbage = (globalThis as { gc?: () => void }).gc;

/** ArrayBuffer bytes alive once garbage is collected. */
function liveArrayBuffers(): number {
  collectGarbage?.();
  return process.memoryUsage().arrayBuffers;
}

/** The message as the host built it before quantization: the received float32 maps. */
function float32Message({ maps, score, sliceScores, restorations }: ScanScore): OverlaysMessage {
  return { type: 'overlays', maps, score, sliceScores, model: 'model', restorations };
}

/** Builds a message from a freshly received score and reports what keeping it costs once the score is garbage. */
async function measureHost(label: string, build: (received: ScanScore) => OverlaysMessage | Promise<OverlaysMessage>): Promise<OverlaysMessage> {
  const baseline = liveArrayBuffers();
  const received = await receivedScore();
  const start = performance.now();
  const message = await build(received);
  const buildMs = performance.now() - start;
  const live = liveArrayBuffers() - baseline;
  console.log(
    `· host, ${label}: the message holds (and posts) ${mib(heldBufferBytes(message))}; live arrayBuffers +${mib(live)}; building it ${buildMs.toFixed(0)} ms`,
  );
  return message;
}

/** Loads the overlays as the webview does (the scan in float32, the maps as they came) and draws a slice in each view. */
function measureWebview(message: OverlaysMessage): void {
  const start = performance.now();
  const scan = loadScan({ type: 'scan', name: 'brain.nii.gz', image: volume(9), spacing: [1, 1, 1] });
  const overlays = loadOverlays(message, scan);
  const loadMs = performance.now() - start;
  const drawStart = performance.now();
  for (const view of VIEW_AXES) {
    const state = { ...DEFAULT_STATE, view, position: [SIDE / 2, SIDE / 2, SIDE / 2] as [number, number, number], contour: 0.5 };
    renderSlice(sliceRequestFor(scan, overlays, state).request);
  }
  const drawMs = (performance.now() - drawStart) / VIEW_AXES.length;
  const held = heldBufferBytes({ scan: scan.image, maps: overlays.maps, restorations: overlays.restorations });
  console.log(
    `· webview: holds ${mib(held)} (the scan in float32, ${mib(VOXELS * 4)}, and the maps); loading scan and overlays ${loadMs.toFixed(0)} ms, a slice with overlay and contour ${drawMs.toFixed(0)} ms`,
  );
}

async function main(): Promise<void> {
  if (!collectGarbage) throw new Error('bench/memory.bench.ts: run node with --expose-gc, so that the figures do not include garbage');
  console.log(`Scan viewer memory, one ${SIDE}^3 float32 volume with ${ALL_MAP_NAMES.length} maps and the mean restoration:`);
  await measureHost('before (float32 maps as received)', float32Message);
  measureWebview(await measureHost('now (16-bit maps, overlaysMessage.ts)', (received) => overlaysMessage(received, 'model')));
}

if (process.argv[2] === WORKER_ARGUMENT) process.send!(scoredVolume(), () => process.exit(0));
else void main();
