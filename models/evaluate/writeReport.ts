// Writes an evaluation's report folder: report.json (everything, NaN written as null), report.md and its SVG plots.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EvaluationReport } from './evaluationReport';
import { markdownReport, reportPlots } from './markdownReport';

export const REPORT_JSON = 'report.json';
export const REPORT_MARKDOWN = 'report.md';

export function writeReport(report: EvaluationReport, folder: string): void {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, REPORT_JSON), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(folder, REPORT_MARKDOWN), markdownReport(report));
  for (const [name, svg] of Object.entries(reportPlots(report))) writeFileSync(join(folder, name), `${svg}\n`);
}
