// `npm run bench` (scripts/bench.sh builds this to out/bench/main.js and runs it from the repository root):
// a tfjs backend (wasm, or BENCH_BACKEND, e.g. webgpu on a GPU machine) against a PyTorch CPU peer on the same shapes, scoring throughput, a whole
// volume, each at 1 thread and at every core (PyTorch at the same thread count), the thread scaling, peak memory,
// a tensor leak check, the data I/O bench and the scoring pool's split of the cores (1 process on every thread
// against one process per core), then one table with the targets of issue 13. Figures vary by up to 1.7x
// between runs on shared machines.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../models/runtime/backend';
import { wasmThreadCount } from '../models/runtime/wasmThreadCount';
import { BACKEND_ORDER, type BackendName } from '../models/runtime/backendNames';
import { SMALL_PRESET } from '../models/vqvae/config';
import { poolSeconds, saveUntrainedModel } from './poolTiming';
import { timePriorForward } from './priorTiming';
import { lsrVolumeScoring } from './lsrTiming';
import { leakCheck, scoringThroughput, volumeScoring } from './scoringTiming';
import { LEAK_CHECK_INFERENCES, LSR_RESTORATIONS, POOL_IMAGES, PRIOR, SCORING_IMAGES, SCORING_MODEL, TARGETS, VQVAE } from './settings';
import { PeakRss } from './timing';
import { runTorchLsrPeer, runTorchPeer } from './torchPeer';
import { timeVqVae } from './vqvaeTiming';

const DATA = resolve(process.env.BENCH_DATA ?? '../shared/data');
const VOLUME_FILE = join(DATA, 'brain-ms/patient07/FLAIR.nii.gz');
const TILES = join(DATA, 'magnetic-tile/MT_Free/Imgs');
const BRAINS = join(DATA, 'brain-ms');
/** The images the pool scores: magnetic-tile JPEGs, else the sample scans' PNGs. */
const POOL_IMAGE_FOLDER = existsSync(TILES) ? TILES : 'sample/scans';

/** One line of the final table. */
interface Row {
  measure: string;
  tfjs: string;
  torch?: string;
  ratio?: string;
  target?: string;
  verdict?: string;
}

/** The tfjs backend measured: wasm, or BENCH_BACKEND (e.g. webgpu or tensorflow-gpu on a GPU machine). */
const BACKEND = benchBackend(process.env.BENCH_BACKEND);

function benchBackend(value: string | undefined): BackendName {
  if (value === undefined) return 'wasm';
  if (!(BACKEND_ORDER as readonly string[]).includes(value)) throw new Error(`BENCH_BACKEND must be one of ${BACKEND_ORDER.join(', ')}, got "${value}"`);
  return value as BackendName;
}

/** The thread counts the in-process rows are measured at: one, and every core (at most the wasm build's 8). */
const THREAD_COUNTS = [...new Set([1, wasmThreadCount(0, availableParallelism())])];
const threadsText = (threads: number): string => (threads === 1 ? '1 thread' : `${threads} threads`);

const rows: Row[] = [];
const log = (line: string): void => console.log(`· ${line}`);
const ms = (value: number): string => `${value.toFixed(0)} ms`;

/** A row comparing a tfjs time with PyTorch's (at the same thread count) against the "within 2x" target. */
function compared(measure: string, tfjsMs: number, torchMs: number | undefined): Row {
  if (torchMs === undefined) return { measure, tfjs: ms(tfjsMs), torch: 'missing' };
  const ratio = tfjsMs / torchMs;
  const verdict = ratio <= TARGETS.maxRatioToTorch ? 'met' : 'missed';
  return { measure, tfjs: ms(tfjsMs), torch: ms(torchMs), ratio: `${ratio.toFixed(1)}x`, target: `<= ${TARGETS.maxRatioToTorch}x`, verdict };
}

function poolImages(): string[] {
  const extension = POOL_IMAGE_FOLDER === TILES ? '.jpg' : '.png'; // the tiles' PNGs are their masks
  const images = readdirSync(POOL_IMAGE_FOLDER)
    .filter((f) => f.endsWith(extension))
    .sort();
  return images.slice(0, POOL_IMAGES).map((f) => join(POOL_IMAGE_FOLDER, f));
}

/** The FLAIR volume of every brain-ms patient there is. */
function poolVolumes(): string[] {
  if (!existsSync(BRAINS)) return [];
  return readdirSync(BRAINS)
    .sort()
    .map((patient) => join(BRAINS, patient, 'FLAIR.nii.gz'))
    .filter((file) => existsSync(file));
}

/**
 * Rows for scoring `files` on 1 worker process on every core's thread and on one process per core of one
 * thread each (wall time, worker start-up included; processes x threads = cores either way); with
 * `imagesPerSecondTarget`, the throughput of each against it.
 */
async function comparePool(modelDir: string, what: string, files: string[], source: string, imagesPerSecondTarget?: number): Promise<void> {
  if (files.length === 0) return void rows.push({ measure: `folder scoring of ${what}`, tfjs: 'skipped (no data)' });
  const processes = availableParallelism();
  const threads = THREAD_COUNTS.at(-1)!;
  log(`scoring ${files.length} ${what} from ${source} on 1 process x ${threadsText(threads)} and on ${processes} processes x 1 thread ...`);
  const oneSeconds = await poolSeconds(modelDir, files, 1, BACKEND);
  const manySeconds = await poolSeconds(modelDir, files, processes, BACKEND);
  const throughput = (seconds: number): Partial<Row> => {
    if (imagesPerSecondTarget === undefined) return { tfjs: `${seconds.toFixed(1)} s` };
    const perSecond = files.length / seconds;
    const verdict = perSecond >= imagesPerSecondTarget ? 'met' : 'missed';
    return { tfjs: `${seconds.toFixed(1)} s, ${perSecond.toFixed(1)} img/s`, target: `>= ${imagesPerSecondTarget} img/s`, verdict };
  };
  rows.push({ measure: `folder scoring, ${files.length} ${what}, 1 process x ${threadsText(threads)}`, tfjs: '', ...throughput(oneSeconds) });
  const speedup = `${(oneSeconds / manySeconds).toFixed(2)}x`;
  rows.push({
    measure: `folder scoring, ${files.length} ${what}, ${processes} processes x 1 thread`,
    tfjs: '',
    ...throughput(manySeconds),
    ratio: `speedup ${speedup}`,
  });
}

function printTable(): void {
  const header: Row = { measure: 'measure', tfjs: `tfjs ${BACKEND}`, torch: 'PyTorch CPU', ratio: 'ratio', target: 'target', verdict: '' };
  const columns: (keyof Row)[] = ['measure', 'tfjs', 'torch', 'ratio', 'target', 'verdict'];
  const widths = columns.map((c) => Math.max(...[header, ...rows].map((r) => (r[c] ?? '').length)));
  const line = (r: Row) =>
    columns
      .map((c, i) => (r[c] ?? '').padEnd(widths[i]))
      .join(' | ')
      .trimEnd();
  console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('-|-')}\n${rows.map(line).join('\n')}`);
}

/** The in-process rows on `threads` wasm threads, beside PyTorch on as many; returns the train step's time and PyTorch's peak memory. */
async function inProcessRows(threads: number, memory: PeakRss): Promise<{ trainStepMs: number; torchPeakRssMb?: number }> {
  const backend = await selectBackend(BACKEND, log, { wasmThreads: threads });
  const at = `, ${threadsText(backend.threads ?? threads)}`;

  log(`PyTorch peer (${threadsText(threads)}) ...`);
  const torch = runTorchPeer(threads);
  const peer = 'missing' in torch ? undefined : torch;
  log(peer ? `PyTorch ${peer.torch}, ${peer.threads} threads` : `PyTorch peer missing: ${'missing' in torch ? torch.missing : ''}`);

  log(`VQ-VAE cpu-small, batch ${VQVAE.batch} of ${VQVAE.inputSize}x${VQVAE.inputSize}${at} ...`);
  const vqvae = await timeVqVae(VQVAE, VQVAE.batch, VQVAE.runs);
  memory.sample();
  rows.push(compared(`VQ-VAE train step (batch ${VQVAE.batch}, 64x64${at})`, vqvae.trainStepMs, peer?.trainStepMs));
  rows.push(compared(`VQ-VAE inference (batch ${VQVAE.batch}${at})`, vqvae.inferenceMs, peer?.inferenceMs));
  rows.push({ measure: `VQ-VAE inference per image${at}`, tfjs: ms(vqvae.inferenceMs / VQVAE.batch), torch: peer && ms(peer.inferenceMs / VQVAE.batch) });

  log(`transformer prior forward, d ${PRIOR.dModel}, ${PRIOR.layers} layers, batch ${PRIOR.batch}, ${PRIOR.sequenceLength} tokens${at} ...`);
  const priorMs = await timePriorForward(PRIOR);
  memory.sample();
  rows.push(
    compared(`prior forward (d ${PRIOR.dModel}, ${PRIOR.layers} layers, b ${PRIOR.batch}, n ${PRIOR.sequenceLength}${at})`, priorMs, peer?.priorForwardMs),
  );

  log(`SSIM + AM scoring of ${SCORING_IMAGES} 128x128 images (cpu-medium model)${at} ...`);
  const perSecond = await scoringThroughput(SCORING_MODEL, SCORING_IMAGES, memory);
  const ssimVerdict = perSecond >= TARGETS.ssimAmImagesPerSecond ? 'met' : 'missed';
  rows.push({
    measure: `SSIM + AM scoring, 128x128 images${at}`,
    tfjs: `${perSecond.toFixed(1)} img/s`,
    target: `>= ${TARGETS.ssimAmImagesPerSecond} img/s`,
    verdict: ssimVerdict,
  });

  if (!existsSync(VOLUME_FILE)) {
    log(`${VOLUME_FILE} is absent: volume scoring skipped`);
    rows.push({ measure: 'VQ-VAE and LSR volume 182x218x182', tfjs: 'skipped (no data)' });
    return { trainStepMs: vqvae.trainStepMs, torchPeakRssMb: peer?.peakRssMb };
  }
  log(`scoring ${VOLUME_FILE} with the cpu-small VQ-VAE${at} ...`);
  const volume = await volumeScoring(SMALL_PRESET, VOLUME_FILE, memory);
  rows.push({
    measure: `VQ-VAE volume 182x218x182 (${volume.slices} slices; read ${volume.readSeconds.toFixed(1)} s${at})`,
    tfjs: `${volume.scoreSeconds.toFixed(1)} s`,
  });
  log(`the full LSR pipeline on the same volume, S = ${LSR_RESTORATIONS}, CPU-sized causal prior${at} ...`);
  const lsr = await lsrVolumeScoring(SMALL_PRESET, VOLUME_FILE, LSR_RESTORATIONS, memory);
  const flagged = Math.round(lsr.flaggedPerSlice);
  log(`the same LSR pipeline in PyTorch (${lsr.slices} slices, ${flagged} tokens resampled each, ${threadsText(threads)}) ...`);
  const torchLsr = runTorchLsrPeer({ slices: lsr.slices, restorations: LSR_RESTORATIONS, flagged, threads });
  rows.push({
    measure: `LSR volume 182x218x182 (${lsr.slices} slices, S ${LSR_RESTORATIONS}, ${flagged} tokens resampled per slice${at})`,
    tfjs: `${lsr.seconds.toFixed(1)} s`,
    ...('missing' in torchLsr ? { torch: 'missing' } : { torch: `${torchLsr.seconds.toFixed(1)} s`, ratio: `${(lsr.seconds / torchLsr.seconds).toFixed(1)}x` }),
    target: `< ${TARGETS.lsrVolumeSeconds} s`,
    verdict: lsr.seconds < TARGETS.lsrVolumeSeconds ? 'met' : 'missed',
  });
  return { trainStepMs: vqvae.trainStepMs, torchPeakRssMb: peer?.peakRssMb };
}

async function main(): Promise<void> {
  const started = performance.now();
  const memory = new PeakRss();
  const runs: { trainStepMs: number; torchPeakRssMb?: number }[] = [];
  for (const threads of THREAD_COUNTS) runs.push(await inProcessRows(threads, memory));
  if (THREAD_COUNTS.length > 1) {
    const scaling = runs[0].trainStepMs / runs[1].trainStepMs;
    rows.push({
      measure: `thread scaling 1 -> ${THREAD_COUNTS[1]}, VQ-VAE train step`,
      tfjs: `${scaling.toFixed(2)}x`,
      target: `>= ${TARGETS.trainThreadScaling}x`,
      verdict: scaling >= TARGETS.trainThreadScaling ? 'met' : 'missed',
    });
  }

  log(`leak check: ${LEAK_CHECK_INFERENCES} scorings of a 64x64 image ...`);
  const leak = await leakCheck(SMALL_PRESET, LEAK_CHECK_INFERENCES);
  const flat = leak.after === leak.before;
  rows.push({
    measure: `tensors before/after ${LEAK_CHECK_INFERENCES} inferences`,
    tfjs: `${leak.before} / ${leak.after}`,
    target: 'flat',
    verdict: flat ? 'PASS' : 'FAIL',
  });
  console.log(`leak check: ${flat ? 'PASS' : 'FAIL'} (numTensors ${leak.before} -> ${leak.after})`);

  const torchPeaks = runs.flatMap((run) => (run.torchPeakRssMb === undefined ? [] : [run.torchPeakRssMb]));
  const torchPeak = torchPeaks.length > 0 ? Math.max(...torchPeaks) : undefined;
  rows.push({
    measure: 'peak memory (RSS)',
    tfjs: `${memory.megabytes.toFixed(0)} MB`,
    torch: torchPeak === undefined ? undefined : `${torchPeak.toFixed(0)} MB`,
  });

  // Images through the SSIM + AM model (cpu-medium, 128x128 input): the throughput target with both cores.
  const imageModelDir = join('out', 'bench', 'model-medium');
  await saveUntrainedModel(imageModelDir, SCORING_MODEL);
  await comparePool(imageModelDir, 'images, all maps at 128x128 (SSIM + AM included)', poolImages(), POOL_IMAGE_FOLDER, TARGETS.ssimAmImagesPerSecond);
  // Per-file work dominates with volumes; with few small images the workers' start-up (~1 s each) does.
  const modelDir = join('out', 'bench', 'model');
  await saveUntrainedModel(modelDir, SMALL_PRESET);
  await comparePool(modelDir, 'FLAIR volumes', poolVolumes(), join(BRAINS, '*'));

  // bench/io.bench.ts reads the brain-ms FLAIR and magnetic-tile images of ../shared/data only.
  if (!existsSync(join(BRAINS, 'patient07/FLAIR.nii.gz')) || !existsSync(join(DATA, 'magnetic-tile/MT_Free/Imgs'))) {
    log(`${DATA} lacks brain-ms/patient07 or magnetic-tile: data I/O skipped`);
    rows.push({ measure: 'data I/O bench', tfjs: 'skipped (no data)' });
  } else {
    log('data I/O (bench/io.bench.ts) ...');
    const io = spawnSync(process.execPath, [join('out', 'bench', 'io.bench.js'), DATA], { stdio: 'inherit' });
    if (io.status !== 0) rows.push({ measure: 'data I/O bench', tfjs: `failed (exit ${io.status})` });
  }

  printTable();
  // Figures taken while other processes load the cores are slower (tfjs and PyTorch run one after the other).
  const load = `load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores`;
  console.log(`\nbackend ${tf.getBackend()}; ${load}; total bench time ${((performance.now() - started) / 1000).toFixed(0)} s`);
  if (!flat) process.exitCode = 1;
}

void main();
