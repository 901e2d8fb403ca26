// The quality benchmark's output: one table per data set (maps and baselines side by side, ratios to
// the baseline measured in the same run) and docs/quality.json, whose shape a script can check.
import type { PostProcessing } from '../../models/scoring/postProcessing';
import type { DatasetRun } from './run';

/** The baseline every map of a data set is compared with (methods.md §11). */
export const REFERENCE_BASELINE: Record<string, string> = { 'brain-ms': 'baseline:intensity', 'magnetic-tile': 'baseline:mean-difference' };

export interface MetricsEntry {
  pixelAuroc: number;
  pixelAp: number;
  bestDice: number;
  diceAtNormalThreshold: number | null;
  aupro: number;
  sampleAuroc: number;
  sampleAp: number;
  inputCorrelation: number;
}

export interface QualityEntry {
  recipe: string;
  backend: string;
  loadAverage: number[];
  trainSeconds: number;
  /** True when the run evaluated the model of an earlier run (trainSeconds: that training's, from its manifest). */
  reusedModel: boolean;
  priorTrainSeconds: number | null;
  postProcessing: PostProcessing;
  scoreSecondsPerVolume?: number;
  scoreSecondsPerImage?: number;
  reconstructionL1: number | null;
  constantL1: number | null;
  codesInUse: number | null;
  codebookSize: number;
  healthProblems: string[];
  counts: DatasetRun['report']['counts'];
  maps: Record<string, MetricsEntry>;
  baselines: Record<string, MetricsEntry>;
}

const BASELINE_PREFIX = 'baseline:';

export function qualityEntry(run: DatasetRun, isVolume: boolean): QualityEntry {
  const { report, manifest } = run;
  const entries = Object.entries(report.maps).map(([name, m]) => {
    const entry: MetricsEntry = {
      pixelAuroc: m.pixel.auroc,
      pixelAp: m.pixel.averagePrecision,
      bestDice: m.pixel.bestDice,
      diceAtNormalThreshold: m.pixel.diceAtThreshold?.dice ?? null,
      aupro: m.pixel.auPro,
      sampleAuroc: m.sample.auroc,
      sampleAp: m.sample.averagePrecision,
      inputCorrelation: m.pixel.inputCorrelation,
    };
    return [name, entry] as const;
  });
  const seconds = report.timing.meanMsPerScan / 1000;
  return {
    recipe: run.recipe,
    backend: run.backend,
    loadAverage: run.loadAverage.map((v) => Number(v.toFixed(2))),
    trainSeconds: run.trainSeconds,
    reusedModel: run.reusedModel,
    priorTrainSeconds: run.priorSeconds,
    postProcessing: run.postProcessing,
    ...(isVolume ? { scoreSecondsPerVolume: seconds } : { scoreSecondsPerImage: seconds }),
    reconstructionL1: manifest.health?.reconstructionL1 ?? null,
    constantL1: manifest.health?.constantL1 ?? null,
    codesInUse: manifest.health?.codesInUse ?? manifest.codebookUsage ?? null,
    codebookSize: manifest.config.codebookSize,
    healthProblems: manifest.health?.problems ?? [],
    counts: report.counts,
    maps: Object.fromEntries(entries.filter(([name]) => !name.startsWith(BASELINE_PREFIX))),
    baselines: Object.fromEntries(entries.filter(([name]) => name.startsWith(BASELINE_PREFIX)).map(([name, e]) => [name.slice(BASELINE_PREFIX.length), e])),
  };
}

const f3 = (v: number | null) => (v === null || !Number.isFinite(v) ? 'n/a' : v.toFixed(3));

/** A Markdown table of every map and baseline, with AP and best Dice as ratios to the reference baseline. */
export function markdownTable(name: string, entry: QualityEntry): string {
  const reference = entry.baselines[REFERENCE_BASELINE[name].slice(BASELINE_PREFIX.length)];
  const head =
    '| map | pixel AUROC | pixel AP | AP / baseline | best Dice (test-set upper bound) | Dice at normal P99 | AUPRO | sample AUROC | sample AP | r with input |';
  const rule = '|' + ' --- |'.repeat(10);
  const row = (label: string, m: MetricsEntry) =>
    `| ${label} | ${f3(m.pixelAuroc)} | ${f3(m.pixelAp)} | ${(m.pixelAp / reference.pixelAp).toFixed(2)}x | ${f3(m.bestDice)} | ${f3(m.diceAtNormalThreshold)} | ${f3(m.aupro)} | ${f3(m.sampleAuroc)} | ${f3(m.sampleAp)} | ${f3(m.inputCorrelation)} |`;
  const rows = [
    ...Object.entries(entry.maps).map(([map, m]) => row(map, m)),
    ...Object.entries(entry.baselines).map(([baseline, m]) => row(`*baseline: ${baseline}*`, m)),
  ];
  return [head, rule, ...rows].join('\n');
}

/** The settings of the post-processing stage in words. */
function postProcessingText(p: PostProcessing | undefined): string {
  if (!p) return 'not recorded';
  const median = p.medianSize > 1 ? `median ${p.medianSize}` : 'no median';
  const hyper = p.hyperintensityPercentile === null ? 'no hyperintensity prior' : `hyperintensity prior P${p.hyperintensityPercentile}`;
  return `polarity ${p.polarity}, erosion ${p.erosion}, ${median}, ${hyper}`;
}

/** The lines above a data set's table: recipe, times, health. */
export function summaryLines(name: string, entry: QualityEntry): string[] {
  const time =
    entry.scoreSecondsPerVolume !== undefined
      ? `${entry.scoreSecondsPerVolume.toFixed(1)} s per volume`
      : `${entry.scoreSecondsPerImage!.toFixed(3)} s per image`;
  const prior = entry.priorTrainSeconds === null ? 'no prior (quick run)' : `prior training ${entry.priorTrainSeconds.toFixed(0)} s`;
  const health = entry.healthProblems.length === 0 ? 'healthy' : entry.healthProblems.join('; ');
  const reused = entry.reusedModel ? ' (the model of an earlier run, reused)' : '';
  return [
    `${name}: recipe ${entry.recipe}, backend ${entry.backend}, load average ${entry.loadAverage.join(' / ')}`,
    `training ${entry.trainSeconds.toFixed(0)} s${reused}, ${prior}, scoring ${time}`,
    `post-processing: ${postProcessingText(entry.postProcessing)}`,
    `model: L1 ${f3(entry.reconstructionL1)} vs ${f3(entry.constantL1)} for the best constant image, ${entry.codesInUse}/${entry.codebookSize} codes in use: ${health}`,
    `pixels ${entry.counts.totalPixels} (${entry.counts.anomalousPixels} anomalous, ${entry.counts.regions} regions), samples ${entry.counts.samples} (${entry.counts.anomalousSamples} anomalous)`,
  ];
}
