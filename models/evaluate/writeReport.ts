// The files of an evaluation's report folder: report.json (everything, NaN written as null), report.md,
// its SVG plots and the example overlay PNGs. The CLI writes them into its --out folder; the worker
// writes a new folder atomically (worker/evaluateJob.ts).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Evaluation } from './evaluationReport';
import { markdownReport, reportPlots } from './markdownReport';

/** The sub-folder of a model folder that holds its evaluations (the extension's default place for reports; saving the model keeps it). */
export const EVALUATIONS_FOLDER = 'evaluations';
export const REPORT_JSON = 'report.json';
export const REPORT_MARKDOWN = 'report.md';

/** File name -> content of the report folder. */
export function reportFiles({ report, images }: Evaluation): Record<string, string | Uint8Array> {
  const plots = Object.entries(reportPlots(report)).map(([name, svg]) => [name, `${svg}\n`]);
  return {
    [REPORT_JSON]: `${JSON.stringify(report, null, 2)}\n`,
    [REPORT_MARKDOWN]: markdownReport(report),
    ...Object.fromEntries(plots),
    ...images,
  };
}

/** Writes the report's files into `folder` (created if needed; other files there are left alone). */
export function writeReport(evaluation: Evaluation, folder: string): void {
  mkdirSync(folder, { recursive: true });
  for (const [name, content] of Object.entries(reportFiles(evaluation))) writeFileSync(join(folder, name), content);
}
