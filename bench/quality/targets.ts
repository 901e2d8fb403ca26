// The shape of docs/quality.json, and the targets of the quality work (issue 11) read from it: each
// printed as met or missed by the benchmark and checked for shape by a unit test.
import type { MetricsEntry, QualityEntry } from './report';

const METRIC_FIELDS = ['pixelAuroc', 'pixelAp', 'bestDice', 'aupro', 'sampleAuroc', 'inputCorrelation'] as const;
const ENTRY_FIELDS = ['recipe', 'trainSeconds', 'reconstructionL1', 'constantL1', 'codesInUse', 'maps', 'baselines'] as const;

/** The problems of a parsed docs/quality.json; empty when it has the documented shape. */
export function qualityShapeProblems(json: unknown): string[] {
  const problems: string[] = [];
  const datasets = (json as { datasets?: Record<string, Record<string, unknown>> })?.datasets;
  if (typeof datasets !== 'object' || datasets === null) return ['no "datasets" object'];
  for (const [name, entry] of Object.entries(datasets)) {
    for (const field of ENTRY_FIELDS) if (!(field in entry)) problems.push(`${name}: no "${field}"`);
    if (!('scoreSecondsPerVolume' in entry) && !('scoreSecondsPerImage' in entry)) problems.push(`${name}: no scoring time`);
    for (const group of ['maps', 'baselines'] as const) {
      for (const [map, metrics] of Object.entries((entry[group] ?? {}) as Record<string, Record<string, unknown>>)) {
        for (const field of METRIC_FIELDS) if (typeof metrics[field] !== 'number') problems.push(`${name} ${group} ${map}: "${field}" is not a number`);
      }
    }
  }
  return problems;
}

export interface TargetCheck {
  target: string;
  met: boolean;
  detail: string;
}

const best = (maps: Record<string, MetricsEntry>, metric: keyof MetricsEntry): [string, number] =>
  Object.entries(maps).reduce<[string, number]>((top, [name, m]) => ((m[metric] as number) > top[1] ? [name, m[metric] as number] : top), ['none', -Infinity]);

/** The targets of one data set (brain-ms or magnetic-tile), met or missed, with the figures. */
export function targetChecks(name: string, entry: QualityEntry): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const add = (target: string, met: boolean, detail: string) => checks.push({ target, met, detail });
  const l1Ratio = entry.reconstructionL1 !== null && entry.constantL1 ? entry.reconstructionL1 / entry.constantL1 : NaN;
  add("the model reconstructs: L1 at most half the best constant image's", l1Ratio <= 0.5, `ratio ${l1Ratio.toFixed(2)}`);
  const [topAp, ap] = best(entry.maps, 'pixelAp');
  add(
    'the best map correlates below 0.9 with the input',
    entry.maps[topAp]?.inputCorrelation < 0.9,
    `${topAp}: r = ${entry.maps[topAp]?.inputCorrelation.toFixed(3)}`,
  );
  const belowChance = Object.entries(entry.maps)
    .filter(([, m]) => m.pixelAuroc < 0.5)
    .map(([map, m]) => `${map} ${m.pixelAuroc.toFixed(3)}`);
  add('no map below 0.5 pixel AUROC', belowChance.length === 0, belowChance.join(', ') || 'none');
  if (name === 'brain-ms') {
    const [topDice, dice] = best(entry.maps, 'bestDice');
    const raw = entry.baselines.intensity;
    const post = entry.baselines['intensity-postprocessed'];
    add('best map pixel AP >= 0.40', ap >= 0.4, `${topAp} ${ap.toFixed(3)}`);
    add('best map best Dice >= 0.50', dice >= 0.5, `${topDice} ${dice.toFixed(3)}`);
    const m = entry.maps[topAp];
    add(
      'it beats raw intensity on AP, Dice and AUPRO',
      m.pixelAp > raw.pixelAp && m.bestDice > raw.bestDice && m.aupro > raw.aupro,
      `AP ${m.pixelAp.toFixed(3)} vs ${raw.pixelAp.toFixed(3)}, Dice ${m.bestDice.toFixed(3)} vs ${raw.bestDice.toFixed(3)}, AUPRO ${m.aupro.toFixed(3)} vs ${raw.aupro.toFixed(3)}`,
    );
    add('(beyond) it beats post-processed intensity on AP', m.pixelAp > post.pixelAp, `${m.pixelAp.toFixed(3)} vs ${post.pixelAp.toFixed(3)}`);
  } else {
    const [topAuroc, auroc] = best(entry.maps, 'pixelAuroc');
    const [topPro, pro] = best(entry.maps, 'aupro');
    const [topSample, sample] = best(entry.maps, 'sampleAuroc');
    add('pixel AUROC >= 0.85', auroc >= 0.85, `${topAuroc} ${auroc.toFixed(3)}`);
    add('AUPRO >= 0.70', pro >= 0.7, `${topPro} ${pro.toFixed(3)}`);
    add('sample AUROC >= 0.85', sample >= 0.85, `${topSample} ${sample.toFixed(3)}`);
  }
  return checks;
}
