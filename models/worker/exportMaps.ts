// Exports the anomaly maps of one scan as files that other tools open: for a NIfTI input, one float32
// `<stem>_<map>.nii.gz` per map in the input file's own grid (writeMapLikeInput), which ITK-SNAP, 3D
// Slicer or FSLeyes overlay voxel for voxel; for a PNG/JPEG input, one 8-bit gray `<stem>_<map>.png`
// heatmap. Every file is written to a temporary name and renamed, so a reader never sees half a file.
// The prior's maps (nll, restoration, kde) are exported the same way when the model folder holds a
// prior; only the prior maps asked for are computed (restorations and KDE samplings take seconds a slice).

import { scanModality } from '../scoring/modality';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { BadInputError } from '../io/errors';
import { encodeGrayPng } from '../io/image2d';
import { writeFileAtomically } from '../io/atomicFolder';
import { NIFTI_SUFFIX, scanStem } from '../io/outputFiles';
import { selectPercentile } from '../io/normalize';
import { writeMapLikeInput } from '../io/niftiWrite';
import { readScan } from '../io/volume';
import { scoreVolume } from '../scoring/scoreScan';
import type { JobControl } from './jobs';
import type { ModelCache } from './modelCache';
import { loadScoringPrior } from './priorJobs';
import {
  PRIOR_MAP_NAMES,
  type AnyMapName,
  type CountProgress,
  type ExportMapsParams,
  type ExportMapsResult,
  type PriorMapName,
  type ScoringParameters,
} from './protocol';
import { normalizationOf } from '../vqvae/checkpoint';
import type { ScoringPrior } from '../scoring/priorMaps';

/** PNG heatmaps map this percentile of the map to white, so that a few extreme pixels do not leave the rest black. */
export const HEATMAP_WHITE_PERCENTILE = 99;

/** The map divided by its 99th percentile (clipped to [0, 1] by the PNG encoder); all zeros stay zeros. */
export function heatmapValues(map: Float32Array): Float32Array {
  const white = selectPercentile(Float32Array.from(map), HEATMAP_WHITE_PERCENTILE);
  return white > 0 ? map.map((value) => value / white) : new Float32Array(map.length);
}

const isPriorMap = (name: AnyMapName): name is PriorMapName => (PRIOR_MAP_NAMES as readonly string[]).includes(name);

/** The model's prior when a prior map is asked for (BadInputError when it has none), else undefined. */
async function priorFor(params: ExportMapsParams): Promise<ScoringPrior | undefined> {
  const asked = params.maps.filter(isPriorMap);
  if (asked.length === 0) return undefined;
  const prior = await loadScoringPrior(params.modelDir);
  if (!prior) throw new BadInputError(`${params.modelDir} has no latent prior, which the ${asked.join(', ')} map needs: train one first (Train latent prior)`);
  return prior;
}

/** The scoring settings with the restorations and KDE samplings off unless their map is asked for. */
function onlyAskedPriorMaps(params: ExportMapsParams): ScoringParameters {
  const priorMaps = {
    ...params.scoring?.priorMaps,
    ...(!params.maps.includes('restoration') && { restorationSamples: 0 }),
    ...(!params.maps.includes('kde') && { kdeSamplings: 0 }),
  };
  return { ...params.scoring, priorMaps };
}

export async function runExportMaps(params: ExportMapsParams, models: ModelCache, control: JobControl<CountProgress>): Promise<ExportMapsResult> {
  const { model, manifest } = await models.load(params.modelDir);
  const prior = await priorFor(params);
  const volume = await readScan(params.file, control.log);
  const asked = onlyAskedPriorMaps(params);
  const modality = scanModality(asked, params.file, volume);
  const scoring = { ...asked, modality, prior, normalization: normalizationOf(manifest), onProgress: control.onProgress, isCancelled: control.isCancelled };
  const scored = await scoreVolume(model, volume, scoring);
  const nifti = NIFTI_SUFFIX.test(params.file);
  const stem = scanStem(params.file);
  await mkdir(params.folder, { recursive: true });
  const files: string[] = [];
  for (const name of params.maps) {
    const map = scored.maps[name];
    // The restoration map needs lambda_p and both prior maps a sample count above 0.
    if (!map)
      throw new BadInputError(
        `The ${name} map of ${params.file} was not computed: it needs a calibrated prior (or a fixed lambda_p) and its samples setting above 0`,
      );
    const target = join(params.folder, `${stem}_${name}${nifti ? '.nii.gz' : '.png'}`);
    const bytes = nifti ? writeMapLikeInput(map.data, volume) : encodeGrayPng(heatmapValues(map.data), map.dims[0], map.dims[1]);
    await writeFileAtomically(target, bytes);
    control.log(`Exported the ${name} map of ${params.file} to ${target}`);
    files.push(target);
  }
  return { files };
}
