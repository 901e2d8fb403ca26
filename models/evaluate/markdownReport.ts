// The human-readable side of an evaluation: report.md with a table of every map's metrics and the
// ROC / precision-recall plots as SVG files beside it (linked as images, so that GitHub and VS Code's
// Markdown preview both show them).

import type { EvaluationReport, EvaluationSummary, MapMetrics } from './evaluationReport';
import { EXAMPLE_MAP } from './exampleOverlays';
import { type PlotCurve, svgCurvePlot } from './svgPlot';

const ROC_AXES = { xName: 'false-positive rate', yName: 'true-positive rate', diagonal: true, legend: 'bottom' } as const;

/** The plots of a report: file name -> SVG text. */
export function reportPlots(report: EvaluationReport): Record<string, string> {
  const curvesOf = (pick: (m: MapMetrics) => PlotCurve['points']): PlotCurve[] =>
    Object.entries(report.maps).map(([label, metrics]) => ({ label, points: pick(metrics) }));
  return {
    'pixel-roc.svg': svgCurvePlot(
      curvesOf((m) => m.curves.pixelRoc),
      { ...ROC_AXES, title: 'Pixel ROC' },
    ),
    'pixel-pr.svg': svgCurvePlot(
      curvesOf((m) => m.curves.pixelPrecisionRecall),
      {
        title: 'Pixel precision-recall',
        xName: 'recall',
        yName: 'precision',
        diagonal: false,
        legend: 'top',
      },
    ),
    'sample-roc.svg': svgCurvePlot(
      curvesOf((m) => m.curves.sampleRoc),
      { ...ROC_AXES, title: 'Sample ROC' },
    ),
  };
}

/** A metric with 3 decimals; "n/a" when undefined (NaN). */
const fixed = (value: number) => (Number.isNaN(value) ? 'n/a' : value.toFixed(3));

/** Sample AUROC per group and map, when the test set has groups; a sentence instead when no group has both normal and anomalous samples to rank. */
function groupTable(report: EvaluationReport): string[] {
  const groups = Object.entries(report.groups);
  if (groups.length === 0) return [];
  const heading = ['', '## Sample AUROC per group (the group against all normal samples)', ''];
  if (report.counts.anomalousSamples === report.counts.samples) return [...heading, 'n/a: the test set has no normal samples to rank each group against.'];
  const maps = Object.keys(report.maps);
  return [
    ...heading,
    `| group | samples | anomalous | ${maps.join(' | ')} |`,
    `|---|---|---|${maps.map(() => '---|').join('')}`,
    ...groups.map(([group, g]) => `| ${group} | ${g.samples} | ${g.anomalousSamples} | ${maps.map((m) => fixed(g.sampleAuroc[m])).join(' | ')} |`),
  ];
}

/** "0.512 (≥ 0.0310)", or "n/a" without anomalous pixels. */
const diceCell = (dice: number, threshold: number) => (Number.isNaN(dice) ? 'n/a' : `${fixed(dice)} (≥ ${threshold.toPrecision(3)})`);

/** The table of every map's metrics, one line each (also what the extension logs). */
export function metricsTable(report: Pick<EvaluationSummary, 'maps' | 'options'>): string[] {
  const rows = Object.entries(report.maps).map(
    ([name, { pixel, sample }]) =>
      `| ${name} | ${fixed(pixel.auroc)} | ${fixed(pixel.averagePrecision)} | ${diceCell(pixel.bestDice, pixel.bestDiceThreshold)} | ${fixed(pixel.auPro)} | ${fixed(sample.auroc)} | ${fixed(sample.averagePrecision)} |`,
  );
  return [
    `| map | pixel AUROC | pixel AP | best Dice (threshold) | AUPRO (FPR ≤ ${report.options.maxFpr}) | sample AUROC | sample AP |`,
    '|---|---|---|---|---|---|---|',
    ...rows,
  ];
}

const EXAMPLE_TITLES = { 'top-scoring': 'The highest-scoring sample', missed: 'The lowest-scoring anomalous sample (the one most likely missed)' };

/** The example overlays (exampleOverlays.ts) with what they show. */
function examplesSection(report: EvaluationReport): string[] {
  if (report.examples.length === 0) return [];
  return [
    '',
    `## Examples: image, ${EXAMPLE_MAP} map, ground truth (red)`,
    ...report.examples.flatMap(({ role, file, scan, slice, score, anomalous }) => [
      '',
      `${EXAMPLE_TITLES[role]}: \`${scan}\`${slice === null ? '' : ` slice ${slice}`}, score ${score.toPrecision(3)}, ${anomalous ? 'anomalous' : 'normal'}`,
      '',
      `![${role}](${file})`,
    ]),
  ];
}

export function markdownReport(report: EvaluationReport): string {
  const { counts, timing, options } = report;
  const sampled =
    counts.anomalousPixels === 0
      ? 'none (no pixel metrics without anomalous pixels)'
      : counts.keptPixels < counts.totalPixels
        ? `${counts.keptPixels} of ${counts.totalPixels} pixels (all anomalous ones, a weighted sample of the normal ones)`
        : `all ${counts.totalPixels} pixels`;
  return [
    `# Evaluation of model "${report.model.name}"`,
    '',
    `- Model: \`${report.model.dir}\` (input ${report.model.inputSize} px, ${report.model.epochs} epochs, trained on \`${report.model.trainedOn}\`)`,
    `- Test set: \`${report.testSet}\`${options.limit === null ? '' : ` (limited to ${options.limit} scans)`}: ${counts.scans} scans, ${counts.scansWithMask} with a mask`,
    `- Samples: ${counts.samples} (${counts.anomalousSamples} anomalous; a volume slice is anomalous from ${options.minLesionArea} lesion pixels)`,
    `- Pixels: ${counts.anomalousPixels} anomalous in ${counts.regions} regions; metrics on ${sampled}`,
    `- Backend ${report.backend}; scoring ${fixed(timing.meanMsPerScan / 1000)} s per scan on average (median ${fixed(timing.medianMsPerScan / 1000)} s), ${timing.seconds.toFixed(1)} s in all`,
    `- ${report.created}`,
    '',
    ...metricsTable(report),
    '',
    '![Pixel ROC](pixel-roc.svg) ![Pixel precision-recall](pixel-pr.svg) ![Sample ROC](sample-roc.svg)',
    ...groupTable(report),
    ...examplesSection(report),
    ...(report.skipped.length > 0 ? ['', `## Skipped (${report.skipped.length})`, '', ...report.skipped.map((s) => `- \`${s.file}\`: ${s.reason}`)] : []),
    '',
  ].join('\n');
}
