// The anomaly gallery's webview panels: each shows one scored folder (webview/gallery/main.ts draws
// it). The host keeps the scored files; the webview gets their names relative to the folder, never a
// path, and names an entry by its index only, which is checked here before the file is opened in the
// scan viewer. Every panel's reports of what it shows are kept for the ExtensionApi (tests).

import { basename, relative, sep } from 'node:path';
import * as vscode from 'vscode';
import type { FileScore } from '../../models/worker/protocol';
import { normalRankText } from '../../models/scoring/normalRange';
import { type GalleryEntry, type GalleryReport, type HostToGallery, parseGalleryMessage } from '../../webview/gallery/galleryProtocol';
import { SCAN_VIEWER } from '../commandIds';
import { webviewPageHtml, webviewResourceRoots } from '../scanEditor/webviewHtml';

export const GALLERY_VIEW_TYPE = 'vqAnomaly.gallery';

/** The messages a test or command may send to the newest gallery, as a user's click or filter would. */
export type GalleryAutomation = Extract<HostToGallery, { type: 'setMinScore' | 'clickEntry' }>;

/** What one gallery shows: the folder, the model, its scored files (most anomalous first) and how many were skipped. */
export interface GalleryContent {
  folder: vscode.Uri;
  modelDir: string;
  scores: FileScore[];
  skipped: number;
}

export class GalleryPanels implements vscode.Disposable {
  private readonly reports: GalleryReport[] = [];
  private readonly panels = new Set<vscode.WebviewPanel>();
  private newest: vscode.WebviewPanel | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Opens a gallery panel beside the active editor showing `content`. */
  show(content: GalleryContent): void {
    const panel = vscode.window.createWebviewPanel(GALLERY_VIEW_TYPE, `Anomaly gallery: ${basename(content.folder.fsPath)}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: webviewResourceRoots(this.extensionUri),
      // Thumbnails are small: keeping the page while hidden keeps the filter and the scroll position.
      retainContextWhenHidden: true,
    });
    panel.webview.html = webviewPageHtml(panel.webview, this.extensionUri, {
      script: 'gallery.js',
      styles: ['webview.css', 'gallery.css'],
      title: 'VQ Anomaly Gallery',
    });
    const entries: GalleryEntry[] = content.scores.map(({ file, kind, score, normalRank, thumbnail }) => ({
      name: relative(content.folder.fsPath, file).split(sep).join('/'),
      kind,
      score,
      ...(normalRank && { normalRank: normalRankText(normalRank) }),
      ...(thumbnail && { thumbnail }),
    }));
    const entriesMessage: HostToGallery = {
      type: 'entries',
      folder: basename(content.folder.fsPath),
      model: basename(content.modelDir),
      entries,
      skipped: content.skipped,
    };
    const subscription = panel.webview.onDidReceiveMessage((raw: unknown) => {
      const message = parseGalleryMessage(raw);
      if (!message) return this.log.warn(`Ignored an invalid message from the anomaly gallery: ${JSON.stringify(raw)?.slice(0, 200)}`);
      if (message.type === 'ready') void panel.webview.postMessage(entriesMessage);
      else if (message.type === 'rendered') this.reports.push(message.report);
      else if (message.index < content.scores.length) void this.open(content.scores[message.index].file);
    });
    this.panels.add(panel);
    this.newest = panel;
    panel.onDidDispose(() => {
      subscription.dispose();
      this.panels.delete(panel);
      if (this.newest === panel) this.newest = undefined;
    });
  }

  /** What the galleries reported they show, oldest first. */
  galleryReports(): GalleryReport[] {
    return [...this.reports];
  }

  /** Sends `message` to the newest open gallery; false when none is open. */
  automate(message: GalleryAutomation): Thenable<boolean> {
    return this.newest ? this.newest.webview.postMessage(message) : Promise.resolve(false);
  }

  dispose(): void {
    for (const panel of this.panels) panel.dispose();
  }

  private async open(file: string): Promise<void> {
    try {
      await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(file), SCAN_VIEWER);
    } catch (error) {
      void vscode.window.showErrorMessage(`Opening ${basename(file)} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
