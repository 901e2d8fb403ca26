// The scores of a scored folder as a file: CSV (`file,score[,normal_percentile]`, RFC 4180 quoting) or
// JSON (with each score's kind and normal rank), ranked as the worker ranked them: volumes, then images,
// each most anomalous first.
// Plain functions, unit-tested.

import { csvField } from '../models/scoreCsv';
import type { ScoreFolderResult } from '../models/worker/protocol';

export { csvField };

/**
 * `file,score` and one row per scored file, with a `normal_percentile` column (empty where there is none)
 * when any score has a rank among the model's normal scans; `displayPath` turns a file into the path to write.
 */
export function scoresCsv(result: ScoreFolderResult, displayPath: (file: string) => string): string {
  const ranked = result.scores.some((row) => row.normalRank !== undefined);
  const rows = result.scores.map(({ file, score, normalRank }) => {
    const line = `${csvField(displayPath(file))},${score}`;
    return ranked ? `${line},${normalRank?.percentile ?? ''}` : line;
  });
  return `${[ranked ? 'file,score,normal_percentile' : 'file,score', ...rows].join('\r\n')}\r\n`;
}

export function scoresJson(result: ScoreFolderResult, displayPath: (file: string) => string): string {
  const scores = result.scores.map(({ file, kind, score, normalRank }) => ({ file: displayPath(file), kind, score, ...(normalRank && { normalRank }) }));
  const skipped = result.skipped.map(({ file, reason }) => ({ file: displayPath(file), reason }));
  return `${JSON.stringify({ scores, skipped }, null, 2)}\n`;
}

/** JSON for a `.json` target, CSV for anything else. */
export function scoresFileText(target: string, result: ScoreFolderResult, displayPath: (file: string) => string): string {
  return target.toLowerCase().endsWith('.json') ? scoresJson(result, displayPath) : scoresCsv(result, displayPath);
}
