// The extension manifest (package.json) agrees with the code: settings and their defaults, commands,
// menus and custom editors.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import manifest from '../../package.json';
import { COMMANDS, IMAGE_SCAN_VIEWER, SCAN_VIEWER } from '../../extension/commandIds';
import { DEFAULT_MODELS_FOLDER } from '../../extension/settings';
import { BACKEND_ORDER } from '../../models/runtime/backendNames';
import { DEFAULT_TRAINING, SMALL_PRESET } from '../../models/vqvae/config';

const settings = manifest.contributes.configuration.properties as Record<string, { default: unknown; enum?: string[]; markdownDescription?: string }>;

/** The defaults of the settings `vqAnomaly.<prefix>.*`, by field name. */
function defaultsOf(prefix: string): Record<string, unknown> {
  const fields = Object.keys(settings).filter((key) => key.startsWith(`vqAnomaly.${prefix}.`));
  return Object.fromEntries(fields.map((key) => [key.slice(`vqAnomaly.${prefix}.`.length), settings[key].default]));
}

test('every model and training setting exists once per config field, with the preset as default', () => {
  assert.deepEqual(defaultsOf('model'), { ...SMALL_PRESET });
  assert.deepEqual(defaultsOf('training'), { ...DEFAULT_TRAINING });
});

test('the backend setting offers auto and every backend, the models folder defaults as the code does', () => {
  assert.deepEqual(settings['vqAnomaly.backend'].enum, ['auto', ...BACKEND_ORDER]);
  assert.equal(settings['vqAnomaly.backend'].default, 'auto');
  assert.equal(settings['vqAnomaly.modelsFolder'].default, DEFAULT_MODELS_FOLDER);
});

test('every setting is documented', () => {
  for (const [key, setting] of Object.entries(settings)) assert.ok(setting.markdownDescription, `${key} has no markdownDescription`);
});

test('the contributed commands are the registered ones, and menus only use those', () => {
  const declared = manifest.contributes.commands.map((c) => c.command);
  assert.deepEqual(declared.sort(), Object.values(COMMANDS).sort());
  for (const [menu, entries] of Object.entries(manifest.contributes.menus)) {
    for (const entry of entries) assert.ok(declared.includes(entry.command), `${menu} uses the undeclared ${entry.command}`);
  }
});

test('the scan viewer is the default editor for NIfTI and an option for PNG/JPEG', () => {
  const editors = manifest.contributes.customEditors.map((e) => ({ viewType: e.viewType, priority: e.priority, patterns: e.selector.map((s) => s.filenamePattern) }));
  assert.deepEqual(editors, [
    { viewType: SCAN_VIEWER, priority: 'default', patterns: ['*.nii', '*.nii.gz'] },
    { viewType: IMAGE_SCAN_VIEWER, priority: 'option', patterns: ['*.png', '*.jpg', '*.jpeg'] },
  ]);
});
