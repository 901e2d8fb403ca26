// Snapshots of the scan viewer: the page draws the shown panes with their overlay into a PNG and sends
// its bytes ('snapshot', webview/protocol.ts); the host asks where to save it (beside the scan by
// default) and writes it atomically. Automation (tests) names the file beforehand instead of the dialog.

import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { writeFileAtomically } from '../../models/io/atomicFolder';
import { scanStem } from '../../models/io/outputFiles';
import type { ScanDocument } from './scanDocument';

/** A file named beforehand for the next snapshot of a document, and who waits for it to be written. */
interface PendingSnapshot {
  target: string;
  written: (file: string | undefined) => void;
}

export class ViewerSnapshots {
  private readonly pending = new Map<ScanDocument, PendingSnapshot>();

  constructor(private readonly log: vscode.LogOutputChannel) {}

  /** Presses the viewer's Snapshot (its `s` key) and saves the PNG to `target` without asking; resolves with the file written. */
  take(document: ScanDocument, target: string): Promise<string | undefined> {
    return new Promise((written) => {
      this.pending.get(document)?.written(undefined);
      this.pending.set(document, { target, written });
      document.automate({ kind: 'key', key: 's' });
    });
  }

  /** Saves a snapshot the page of `document` sent: to the file named beforehand, else where the save dialog says. */
  async save(document: ScanDocument, png: Uint8Array): Promise<string | undefined> {
    const pending = this.pending.get(document);
    this.pending.delete(document);
    const file = pending?.target ?? (await this.ask(document))?.fsPath;
    try {
      if (file) {
        await writeFileAtomically(file, png);
        this.log.info(`Saved a snapshot of ${document.uri.fsPath} to ${file}`);
      }
      pending?.written(file);
      return file;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.log.error(`Saving the snapshot of ${document.uri.fsPath} to ${file} failed: ${message}`);
      void vscode.window.showErrorMessage(`Saving the snapshot failed: ${message}`);
      pending?.written(undefined);
      return undefined;
    }
  }

  private ask(document: ScanDocument): Thenable<vscode.Uri | undefined> {
    return vscode.window.showSaveDialog({
      title: 'Save a snapshot of the view',
      defaultUri: vscode.Uri.file(join(dirname(document.uri.fsPath), `${scanStem(document.uri.fsPath)}_snapshot.png`)),
      filters: { 'PNG image': ['png'] },
    });
  }
}
