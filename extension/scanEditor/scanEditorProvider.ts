// The scan viewer custom editor (read-only): opens a ScanDocument per scan file and a webview per editor
// panel, routes the webview's messages, and knows which scan the active editor shows. Registered for
// two view types (./commandIds.ts): NIfTI as the default editor, PNG/JPEG as an "Open With…" option.

import * as vscode from 'vscode';
import { parseWebviewMessage, type PageReport, type RenderReport, type WebviewToHost } from '../../webview/protocol';
import { COMMANDS, IMAGE_SCAN_VIEWER, SCAN_VIEWER } from '../commandIds';
import { ScanDocument, type ScanServices } from './scanDocument';
import { ViewerSnapshots } from './viewerSnapshot';
import { scanViewerHtml, webviewResourceRoots } from './webviewHtml';

const VIEW_TYPES = [SCAN_VIEWER, IMAGE_SCAN_VIEWER];

export class ScanEditorProvider implements vscode.CustomReadonlyEditorProvider<ScanDocument> {
  /** The open scan documents by URI string. */
  private readonly documents = new Map<string, ScanDocument>();
  private readonly snapshots: ViewerSnapshots;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly services: ScanServices,
  ) {
    this.snapshots = new ViewerSnapshots(services.log);
  }

  /** Registers the provider for both view types; the returned disposables unregister it. */
  register(): vscode.Disposable[] {
    const options = { supportsMultipleEditorsPerDocument: true, webviewOptions: { retainContextWhenHidden: false } };
    return VIEW_TYPES.map((viewType) => vscode.window.registerCustomEditorProvider(viewType, this, options));
  }

  openCustomDocument(uri: vscode.Uri): ScanDocument {
    const document = new ScanDocument(uri, this.services);
    const key = uri.toString();
    this.documents.set(key, document);
    document.onDidDispose(() => {
      if (this.documents.get(key) === document) this.documents.delete(key);
    });
    return document;
  }

  resolveCustomEditor(document: ScanDocument, panel: vscode.WebviewPanel): void {
    panel.webview.options = { enableScripts: true, localResourceRoots: webviewResourceRoots(this.extensionUri) };
    document.attach(panel);
    panel.webview.onDidReceiveMessage((raw: unknown) => {
      const message = parseWebviewMessage(raw);
      if (message) this.onMessage(document, panel, message);
      else this.services.log.warn(`Scan viewer, ${document.uri.fsPath}: ignored an invalid message from the webview`);
    });
    panel.webview.html = scanViewerHtml(panel.webview, this.extensionUri);
  }

  /** The scan open in the scan viewer, if that is the active editor. */
  activeDocument(): ScanDocument | undefined {
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    if (!(input instanceof vscode.TabInputCustom) || !VIEW_TYPES.includes(input.viewType)) return undefined;
    return this.documentFor(input.uri);
  }

  /** The document of `uri` when it is open in the scan viewer. */
  documentFor(uri: vscode.Uri): ScanDocument | undefined {
    return this.documents.get(uri.toString());
  }

  /** What the viewer panels of `uri` (a URI string or a file path) reported they drew, oldest first; [] when it is not open. */
  renderReports(uri: string): RenderReport[] {
    return this.documents.get(vscode.Uri.parse(uri).toString())?.renderReports() ?? [];
  }

  /** What the header and error box of the viewer of `uri` last showed; undefined when it is not open or has not reported. */
  pageReport(uri: string): PageReport | undefined {
    return this.documents.get(vscode.Uri.parse(uri).toString())?.pageReport();
  }

  /** Automation (tests): takes a snapshot of the viewer of `uri` into `target` (no dialog); the file written, undefined when it is not open. */
  async snapshot(uri: string, target: string): Promise<string | undefined> {
    const document = this.documents.get(vscode.Uri.parse(uri).toString());
    return document && this.snapshots.take(document, target);
  }

  private onMessage(document: ScanDocument, panel: vscode.WebviewPanel, message: WebviewToHost): void {
    switch (message.type) {
      case 'ready':
        void document.show(panel);
        return;
      case 'score':
        // The same command as the palette's, for this document: progress, cancellation and the score message.
        void vscode.commands.executeCommand(COMMANDS.scoreActiveScan, document.uri);
        return;
      case 'rendered':
        document.addRenderReport(message.report);
        return;
      case 'selectVolume':
        void document.selectVolume(message.index);
        return;
      case 'rawMaps':
        void document.setRawMaps(message.raw);
        return;
      case 'page':
        document.setPageReport(message.page);
        return;
      case 'snapshot':
        void this.snapshots.save(document, message.png);
        return;
      case 'openOverlay':
        // The palette's command, for this document: the file picker, and a notification if it fails.
        void vscode.commands.executeCommand(COMMANDS.openOverlay, document.uri);
        return;
      case 'showExpertMask':
        void document.showExpertMask();
        return;
    }
  }
}
