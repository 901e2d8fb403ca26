// The Explorer's "VQ Anomaly" folder submenu (package.json) and its context keys (extension/folderMenu.ts):
// every folder command is in the submenu, each shown only where it applies.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FOLDER_MENU_KEYS, folderMenuContext } from '../../extension/folderMenu';
import type { ModelEntry } from '../../extension/modelCatalog';
import type { ModelManifest } from '../../models/vqvae/checkpoint';

const entry = (dir: string, trainedOn: string): ModelEntry => ({ dir, name: dir, manifest: { data: { folder: trainedOn } } as ModelManifest });

test('resuming applies to the folders whose own model exists, not to a fine-tune written elsewhere', () => {
  const models = [entry('/ws/.anomaly-models/train', '/ws/train'), entry('/ws/.anomaly-models/train-finetuned', '/ws/other')];
  const context = folderMenuContext(models, '/ws', '.anomaly-models', (dir) => dir.endsWith('finetuned'));
  assert.deepEqual(context, { hasModels: true, hasPrior: true, resumableFolders: ['/ws/train'] });
  assert.deepEqual(
    folderMenuContext([], '/ws', '.anomaly-models', () => true),
    { hasModels: false, hasPrior: false, resumableFolders: [] },
  );
});

interface MenuItem {
  command?: string;
  submenu?: string;
  when: string;
}

test('the Explorer shows one submenu holding the 8 folder commands, each with the when clause of where it applies', () => {
  const { contributes } = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as {
    contributes: { submenus: { id: string }[]; menus: Record<string, MenuItem[]> };
  };
  assert.deepEqual(
    contributes.submenus.map((s) => s.id),
    ['vqAnomaly.folderMenu'],
  );
  assert.deepEqual(
    contributes.menus['explorer/context'].map((m) => m.submenu),
    ['vqAnomaly.folderMenu'],
  );
  const when = Object.fromEntries(contributes.menus['vqAnomaly.folderMenu'].map((m) => [m.command, m.when]));
  assert.equal(Object.keys(when).length, 8);
  assert.equal(when['vqAnomaly.trainOnFolder'], 'explorerResourceIsFolder');
  assert.equal(when['vqAnomaly.resumeTraining'], `explorerResourceIsFolder && resourcePath in ${FOLDER_MENU_KEYS.resumableFolders}`);
  for (const command of ['fineTuneModel', 'scoreFolder', 'openGallery', 'evaluateModel', 'trainPrior']) {
    assert.ok(when[`vqAnomaly.${command}`].endsWith(`&& ${FOLDER_MENU_KEYS.hasModels}`), command);
  }
  assert.equal(when['vqAnomaly.fineTunePrior'], `explorerResourceIsFolder && ${FOLDER_MENU_KEYS.hasPrior}`);
});
