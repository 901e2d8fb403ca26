// The worker's `evaluate` method: evaluates a model on a labelled folder or test.csv (the same
// evaluation as the CLI's `evaluate`, models/evaluate/*) and writes the report folder atomically, so
// that a cancelled or failed evaluation leaves no half-written report.

import { join } from 'node:path';
import { writeFolderAtomically } from '../io/atomicFolder';
import { evaluateModel } from '../evaluate/evaluateModel';
import { summaryOf } from '../evaluate/evaluationReport';
import { labelledTestSet } from '../evaluate/labelledScans';
import { reportFiles } from '../evaluate/writeReport';
import type { JobControl } from './jobs';
import type { CountProgress, EvaluateParams, EvaluateResult } from './protocol';

export async function runEvaluate(params: EvaluateParams, backend: string, control: JobControl<CountProgress>): Promise<EvaluateResult> {
  const testSet = labelledTestSet(params.target);
  const evaluation = await evaluateModel(params.modelDir, testSet, {
    ...params.options,
    backend,
    scoring: params.scoring,
    testSet: params.target,
    log: control.log,
    onProgress: control.onProgress,
    isCancelled: control.isCancelled,
  });
  const files = reportFiles(evaluation);
  await writeFolderAtomically(params.outDir, files);
  control.log(`Evaluation report written to ${params.outDir}`);
  return { outDir: params.outDir, files: Object.keys(files).map((name) => join(params.outDir, name)), summary: summaryOf(evaluation.report) };
}
