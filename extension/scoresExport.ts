// The scores of a scored folder as a file: CSV (`file,score`, RFC 4180 quoting) or JSON (with each
// score's kind), ranked as the worker ranked them: volumes, then images, each most anomalous first.
// Plain functions, unit-tested.

import { csvField } from '../models/scoreCsv';
import type { ScoreFolderResult } from '../models/worker/protocol';

export { csvField };

/** `file,score` and one row per scored file; `displayPath` turns a file into the path to write. */
export function scoresCsv(result: ScoreFolderResult, displayPath: (file: string) => string): string {
  const rows = result.scores.map(({ file, score }) => `${csvField(displayPath(file))},${score}`);
  return `${['file,score', ...rows].join('\r\n')}\r\n`;
}

export function scoresJson(result: ScoreFolderResult, displayPath: (file: string) => string): string {
  const scores = result.scores.map(({ file, kind, score }) => ({ file: displayPath(file), kind, score }));
  const skipped = result.skipped.map(({ file, reason }) => ({ file: displayPath(file), reason }));
  return `${JSON.stringify({ scores, skipped }, null, 2)}\n`;
}

/** JSON for a `.json` target, CSV for anything else. */
export function scoresFileText(target: string, result: ScoreFolderResult, displayPath: (file: string) => string): string {
  return target.toLowerCase().endsWith('.json') ? scoresJson(result, displayPath) : scoresCsv(result, displayPath);
}
