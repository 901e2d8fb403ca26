// Evaluates a trained model on a labelled test set (methods.md §8): every scan is scored as in the
// product (scoring/scoreScan.ts), its ground truth is read in the scan's grid, and for every anomaly map
// the pixel metrics (AUROC, AP, best Dice, AUPRO) and the sample metrics (AUROC, AP) are computed
// (which pixels and samples: scoredTestSet.ts), with example overlays (exampleOverlays.ts).

import { plural } from '../cliSupport';
import { evenlySpaced } from '../io/evenlySpaced';
import { BadInputError } from '../io/errors';
import { readScan } from '../io/volume';
import { DEFAULT_MAX_FPR } from '../metrics/auPro';
import { meanOf } from '../scoring/maps';
import { scanModality } from '../scoring/modality';
import type { Modality } from '../scoring/modality';
import { scoreVolume, type VolumeScore } from '../scoring/scoreScan';
import type { Grid } from '../worker/protocol';
import { loadModel, normalizationOf } from '../vqvae/checkpoint';
import { CancelledError } from '../worker/cancelled';
import { PRIOR_MAP_NAMES, type CountProgress, type EvaluationOptions, type ScoringParameters } from '../worker/protocol';
import type { Evaluation } from './evaluationReport';
import { readMask } from './groundTruth';
import type { LabelledScan } from './labelledScans';
import { DEFAULT_MAX_PIXELS } from './pixelSample';
import { ScoredTestSet } from './scoredTestSet';
import { PriorCache } from '../prior/priorCache';

export const DEFAULT_MIN_LESION_AREA = 20;

export interface EvaluateOptions extends EvaluationOptions {
  /** The backend in use, for the report. */
  backend: string;
  /** Parameters of the maps (SSIM window, dilation, the prior's maps when the model has a prior). */
  scoring?: ScoringParameters;
  /** Named in the report. */
  testSet: string;
  log?(line: string): void;
  /** Called after each scan. */
  onProgress?(progress: CountProgress): void;
  /** Checked before each scan and during scoring; when it returns true, the evaluation stops with a CancelledError. */
  isCancelled?(): boolean;
  /** Maps without a model (baselines.ts) to evaluate on the same pixels and samples as the scan's own maps. */
  baselines?(score: VolumeScore, modality: Modality): Record<string, Grid>;
  /** Thresholds chosen without the test set, by map name: the report adds the Dice at each. */
  thresholds?: Record<string, number>;
  /** 4D NIfTI scans: the volume to evaluate, from 0 (default 0). */
  volumeIndex?: number;
}

export async function evaluateModel(modelDir: string, testSet: LabelledScan[], options: EvaluateOptions): Promise<Evaluation> {
  const { model, manifest } = await loadModel(modelDir);
  // With a prior, its maps are evaluated too (ScoredTestSet takes every anomaly map the scoring returns).
  const prior = await new PriorCache().load(modelDir);
  if (prior) options.log?.(`The model has a prior: its maps (${PRIOR_MAP_NAMES.join(', ')}) are evaluated too`);
  const scans = evenlySpaced(testSet, options.limit);
  const minLesionArea = options.minLesionArea ?? DEFAULT_MIN_LESION_AREA;
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  const scored = new ScoredTestSet(scans.length, maxPixels, minLesionArea);
  const milliseconds: number[] = [];
  const skipped: Evaluation['report']['skipped'] = [];
  let scansWithMask = 0;
  let fourD = 0;
  const start = performance.now();
  try {
    for (const [index, labelled] of scans.entries()) {
      if (options.isCancelled?.()) throw new CancelledError(`Evaluation cancelled after ${index} of ${scans.length} scans`);
      options.log?.(`[${index + 1}/${scans.length}] ${labelled.scan}`);
      try {
        const volume = await readScan(labelled.scan, options.log, { volumeIndex: options.volumeIndex });
        if ((volume.source?.volumeCount ?? 1) > 1) fourD++;
        const mask = labelled.mask ? await readMask(labelled.mask, volume.dims, options.log) : new Uint8Array(volume.data.length);
        const scoringStart = performance.now();
        const modality = scanModality(options.scoring, labelled.scan, volume);
        const score = await scoreVolume(model, volume, {
          ...options.scoring,
          modality,
          normalization: normalizationOf(manifest),
          prior,
          isCancelled: options.isCancelled,
        });
        milliseconds.push(performance.now() - scoringStart);
        scored.add(score, mask, labelled, options.baselines?.(score, modality));
        if (labelled.mask) scansWithMask++;
      } catch (error) {
        if (!(error instanceof BadInputError)) throw error;
        skipped.push({ file: labelled.scan, reason: error.message });
        options.log?.(`skipped ${error.message}`);
      }
      options.onProgress?.({ done: index + 1, total: scans.length, file: labelled.scan });
    }
  } finally {
    model.dispose();
  }
  if (scored.isEmpty)
    throw new BadInputError(`${options.testSet}: none of the ${scans.length} scans could be evaluated (first problem: ${skipped[0]?.reason})`);

  if (fourD > 0) options.log?.(`note: ${plural(fourD, '4D scan')} evaluated on volume ${options.volumeIndex ?? 0} only (--volume N for another)`);
  options.log?.('computing the metrics');
  const maxFpr = options.maxFpr ?? DEFAULT_MAX_FPR;
  const { maps, groups, counts, examples, images } = scored.results(maxFpr, options.thresholds);
  const sorted = milliseconds.slice().sort((a, b) => a - b);
  const report: Evaluation['report'] = {
    created: new Date().toISOString(),
    model: {
      dir: modelDir,
      name: manifest.name,
      inputSize: manifest.config.inputSize,
      epochs: manifest.training.epochsCompleted,
      trainedOn: manifest.data.folder,
    },
    testSet: options.testSet,
    backend: options.backend,
    options: { limit: options.limit ?? null, maxPixels, minLesionArea, maxFpr },
    counts: { scans: scans.length - skipped.length, scansWithMask, ...counts },
    timing: { seconds: (performance.now() - start) / 1000, meanMsPerScan: meanOf(milliseconds), medianMsPerScan: sorted[Math.floor(sorted.length / 2)] },
    maps,
    groups,
    skipped,
    examples,
  };
  return { report, images };
}
