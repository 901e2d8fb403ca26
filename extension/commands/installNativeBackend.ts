// "Install native TensorFlow backend…": runs the user's npm to install @tensorflow/tfjs-node (CPU) or
// @tensorflow/tfjs-node-gpu (CUDA) into the extension's global storage, where the model worker also looks
// for backends, then restarts the worker so that it picks the new backend up, and says which one it uses.

import * as vscode from 'vscode';
import type { BackendInfo } from '../../models/runtime/backendNames';
import {
  CUDA_REQUIREMENTS,
  NATIVE_BACKEND_PACKAGES,
  type NativeBackend,
  TFJS_VERSION,
  describeInstallOutcome,
  nativeBackendFolder,
  runNpmInstall,
} from '../../models/runtime/nativeBackendInstall';
import type { Services } from '../services';
import { SETTINGS_SECTION, readSettings } from '../settings';
import { ensureTrusted, reportFailure } from './commandSupport';

const CHOICES: (vscode.QuickPickItem & { backend: NativeBackend })[] = [
  { backend: 'tensorflow', label: 'CPU', description: NATIVE_BACKEND_PACKAGES.tensorflow, detail: 'Native TensorFlow on the CPU: any machine.' },
  { backend: 'tensorflow-gpu', label: 'CUDA GPU', description: NATIVE_BACKEND_PACKAGES['tensorflow-gpu'], detail: `Needs ${CUDA_REQUIREMENTS}.` },
];

async function pickBackend(): Promise<NativeBackend | undefined> {
  const picked = await vscode.window.showQuickPick(CHOICES, {
    title: `Install a native TensorFlow backend (version ${TFJS_VERSION}, downloads libtensorflow)`,
  });
  return picked?.backend;
}

/** Installs with npm under a cancellable progress notification, npm's output going to the log; true when installed. */
async function install(services: Services, backend: NativeBackend, storageFolder: string): Promise<boolean> {
  const packageName = NATIVE_BACKEND_PACKAGES[backend];
  const prefix = nativeBackendFolder(storageFolder);
  services.log.info(`Installing ${packageName}@${TFJS_VERSION} into ${prefix}`);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Installing ${packageName}`, cancellable: true },
    (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      return runNpmInstall(backend, prefix, {
        signal: abort.signal,
        onLine: (line) => {
          services.log.info(`[npm] ${line}`);
          progress.report({ message: line.slice(0, 100) });
        },
      });
    },
  );
  if (result.status === 'installed') return true;
  if (result.status === 'cancelled') {
    services.log.info(`Installing ${packageName} was cancelled`);
    return false;
  }
  services.log.error(`Installing ${packageName} failed: ${result.failure.message}`);
  void vscode.window.showErrorMessage(`Installing ${packageName} failed: ${result.failure.message}`, { modal: result.failure.kind === 'other' });
  return false;
}

/**
 * Installs the chosen (or asked-for) native backend and restarts the worker on it; resolves with the
 * backend the worker then runs on, or undefined when nothing was installed or the worker is busy.
 */
export async function installNativeBackend(services: Services, storageFolder: string, choice?: NativeBackend): Promise<BackendInfo | undefined> {
  if (!ensureTrusted('Installing a native TensorFlow backend')) return undefined;
  const backend = choice ?? (await pickBackend());
  if (!backend || !(await install(services, backend, storageFolder))) return undefined;

  if (!services.client.replaceWorker('a native TensorFlow backend was installed')) {
    void vscode.window.showInformationMessage(
      `Installed ${NATIVE_BACKEND_PACKAGES[backend]}. The model worker will restart with it when its current jobs end.`,
    );
    return undefined;
  }
  try {
    const running = await services.client.startedBackend();
    const preference = readSettings(vscode.workspace.getConfiguration(SETTINGS_SECTION, null)).backend;
    const outcome = describeInstallOutcome(backend, running, preference);
    services.log.info(outcome);
    if (running.name === backend) void vscode.window.showInformationMessage(outcome);
    else void vscode.window.showWarningMessage(outcome);
    return running;
  } catch (error) {
    reportFailure('Restarting the model worker', error, services.log);
    return undefined;
  }
}
