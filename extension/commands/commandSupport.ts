// Small helpers every command uses: the workspace-trust gate, the folder picker, progress given as a
// fraction, and one way of telling the user that something failed.

import * as vscode from 'vscode';
import { NoModelError } from '../modelLocator';
import { CancelledError, WorkerStoppedError } from '../workerErrors';

/** Training and scoring run code on workspace files: only in trusted workspaces. Says so when not. */
export function ensureTrusted(action: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage(`${action} is not available in Restricted Mode. Trust this workspace to use it.`);
  return false;
}

/** Asks for a folder (for commands run from the palette rather than the Explorer's context menu). */
export async function pickFolder(title: string): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title,
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    openLabel: 'Select Folder',
  });
  return picked?.[0];
}

/** Adapts a withProgress reporter (which takes increments) to absolute fractions done, 0..1. */
export function reportFraction(progress: vscode.Progress<{ message?: string; increment?: number }>): (fraction: number, message: string) => void {
  let reportedPercent = 0;
  return (fraction, message) => {
    const percent = Math.min(100, Math.max(reportedPercent, fraction * 100));
    progress.report({ message, increment: percent - reportedPercent });
    reportedPercent = percent;
  };
}

/**
 * Tells the user that `action` failed, and logs it. Silent for a cancel (the user asked for it) and for
 * a stopped worker (its crash was already reported once, whatever requests it took down).
 */
export function reportFailure(action: string, error: unknown, log: vscode.LogOutputChannel): void {
  if (error instanceof CancelledError || error instanceof WorkerStoppedError) return;
  const message = error instanceof Error ? error.message : String(error);
  log.error(`${action} failed: ${message}`);
  if (error instanceof NoModelError) void vscode.window.showWarningMessage(message);
  else void vscode.window.showErrorMessage(`${action} failed: ${message}`);
}
