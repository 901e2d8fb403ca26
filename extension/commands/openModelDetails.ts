// "Show model details" (palette, or a click in the models view): the model's manifest as a Markdown
// preview. The page is a read-only virtual document (scheme MODEL_DETAILS_SCHEME) rendered from the
// manifest each time it is opened, so it always shows the model as it is on disk.

import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import type { ModelManifest } from '../../models/vqvae/checkpoint';
import { modelDetailsMarkdown } from '../modelDetails';
import { MODEL_MANIFEST } from '../modelLocator';
import type { Services } from '../services';
import { reportFailure } from './commandSupport';
import { type ModelArgument, modelFromArgumentOrPick } from './pickModel';

const MODEL_DETAILS_SCHEME = 'vq-anomaly-model';

/** Serves `vq-anomaly-model:/<name>.md?<model folder>`: the details page of that model folder. */
export function registerModelDetailsProvider(): vscode.Disposable {
  return vscode.workspace.registerTextDocumentContentProvider(MODEL_DETAILS_SCHEME, {
    provideTextDocumentContent: (uri) => modelDetailsOf(uri.query),
  });
}

async function modelDetailsOf(dir: string): Promise<string> {
  const manifest = JSON.parse(await readFile(join(dir, MODEL_MANIFEST), 'utf8')) as ModelManifest;
  return modelDetailsMarkdown(dir, manifest);
}

/** Opens the details of `model` (picked when not given); resolves with the page's Markdown, or undefined. */
export async function openModelDetails(services: Services, model?: ModelArgument): Promise<string | undefined> {
  const dir = await modelFromArgumentOrPick(model, 'Show the details of which model?');
  if (!dir) return undefined;
  try {
    const markdown = await modelDetailsOf(dir);
    const uri = vscode.Uri.from({ scheme: MODEL_DETAILS_SCHEME, path: `/${basename(dir)}.md`, query: dir });
    await vscode.commands.executeCommand('markdown.showPreview', uri);
    return markdown;
  } catch (error) {
    reportFailure(`Showing the details of ${basename(dir)}`, error, services.log);
    return undefined;
  }
}
