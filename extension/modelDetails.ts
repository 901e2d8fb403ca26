// A model's manifest as a readable Markdown page (the "Show model details" preview): configuration,
// training data and settings, the course of the losses and the codebook usage. Plain function of the
// manifest, unit-tested.

import type { ModelManifest } from '../models/vqvae/checkpoint';
import { resolveTrainingConfig, resolveVqVaeConfig } from '../models/vqvae/config';
import { configSummary, shortDate } from './modelCatalog';

export function modelDetailsMarkdown(dir: string, manifest: ModelManifest): string {
  const training = manifest.training;
  const lines = [
    `# Model ${manifest.name}`,
    '',
    `\`${dir}\``,
    '',
    `- Created: ${shortDate(manifest.created)} UTC, on the \`${manifest.backend}\` backend`,
    `- Method: ${manifest.method ?? 'vq-vae'}${manifest.fineTunedFrom ? `, fine-tuned from \`${manifest.fineTunedFrom}\`` : ''}`,
    `- Configuration: ${configSummary(manifest.config)}`,
    `- Codebook usage: ${manifest.codebookUsage === undefined ? 'not recorded' : `${manifest.codebookUsage} of ${manifest.config.codebookSize} codes`}`,
    `- Health: ${healthText(manifest)}`,
    `- Normal range: ${normalRangeText(manifest)}`,
    `- Training data: ${manifest.data.images} images from ${manifest.data.files} files of \`${manifest.data.folder}\` (${manifest.data.skipped} skipped)`,
    `- Training: ${training.epochsCompleted} epochs in ${Math.round(training.seconds)} s, final loss ${training.finalLoss.toFixed(4)}` +
      (training.bestEpoch ? `, best epoch ${training.bestEpoch}` : '') +
      (training.stoppedEarly ? ' (stopped early)' : ''),
    '',
    '## Model configuration',
    '',
    ...settingsTable({ ...manifest.config, ...resolveVqVaeConfig(manifest.config) }), // the manifest's fields first
    '',
    '## Training settings',
    '',
    ...settingsTable(resolveTrainingConfig(training)),
    '',
    '## Loss per epoch',
    '',
    ...lossTable(training.lossHistory, training.validationLossHistory ?? []),
    '',
  ];
  return lines.join('\n');
}

/** The fields of a configuration (without the training record's history fields), one row each. */
function settingsTable(config: object): string[] {
  const historyFields = new Set(['lossHistory', 'validationLossHistory', 'epochsCompleted', 'finalLoss', 'seconds', 'bestEpoch', 'stoppedEarly']);
  const rows = Object.entries(config)
    .filter(([field]) => !historyFields.has(field))
    .map(([field, value]) => `| ${field} | ${formatValue(value)} |`);
  return ['| Setting | Value |', '| --- | --- |', ...rows];
}

function formatValue(value: unknown): string {
  if (Array.isArray(value)) return value.join(', ');
  if (value && typeof value === 'object')
    return Object.entries(value)
      .map(([k, v]) => `${k} ${String(v)}`)
      .join(', ');
  return String(value);
}

function lossTable(training: number[], validation: number[]): string[] {
  if (training.length === 0) return ['No epoch completed yet.'];
  const withValidation = validation.length > 0;
  const header = withValidation ? ['| Epoch | Training loss | Validation loss |', '| ---: | ---: | ---: |'] : ['| Epoch | Training loss |', '| ---: | ---: |'];
  const rows = training.map((loss, i) => `| ${i + 1} | ${loss.toFixed(4)} |${withValidation ? ` ${validation[i]?.toFixed(4) ?? ''} |` : ''}`);
  return [...header, ...rows];
}

/** The validation files' scores the scans are ranked against (models/scoring/normalRange.ts), per kind. */
function normalRangeText(manifest: ModelManifest): string {
  const kinds = Object.entries(manifest.normalScores ?? {}).filter(([, normal]) => normal.scores.length > 0);
  if (kinds.length === 0) return 'none (no validation files, or trained before the normal range was recorded)';
  return kinds
    .map(
      ([kind, { scores }]) =>
        `${scores.length} normal ${kind}${scores.length === 1 ? '' : 's'} scoring ${scores[0].toFixed(4)} to ${scores[scores.length - 1].toFixed(4)}`,
    )
    .join('; ');
}

/** The model health check (vqvae/modelHealth.ts) in words: the L1 errors, and each problem. */
function healthText(manifest: ModelManifest): string {
  const health = manifest.health;
  if (!health) return 'not recorded (trained before the check existed)';
  const figures =
    `L1 ${health.reconstructionL1.toFixed(4)} on ${health.checkedOn} images vs ${health.constantL1.toFixed(4)} for the best constant image, ` +
    `${health.codesInUse} of ${health.codebookSize} codes in use`;
  return health.problems.length === 0 ? `healthy (${figures})` : `**${health.problems.join('; ')}** (${figures})`;
}
