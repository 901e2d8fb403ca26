// Installs a native TensorFlow backend (@tensorflow/tfjs-node, or -gpu for CUDA) on the user's machine with
// the user's own npm, into a folder the extension owns: a .vsix cannot carry libtensorflow for every
// platform. The packages' install script downloads libtensorflow from storage.googleapis.com, so an install
// needs the internet. Here: the npm command line and its environment, running it, and what a failure means
// in words. Free of vscode; the command (extension/commands/installNativeBackend.ts) adds the UI.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import type { BackendInfo, BackendPreference } from './backendNames';
import { describeBackend } from './describeBackend';

/** The version of every @tensorflow package of the project; a native backend must match it. */
export const TFJS_VERSION = '4.22.0';

/** The backends that can be installed natively, by their BackendName. */
export type NativeBackend = 'tensorflow' | 'tensorflow-gpu';

export const NATIVE_BACKEND_PACKAGES: Record<NativeBackend, string> = {
  tensorflow: '@tensorflow/tfjs-node',
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
};

/** What the CUDA build needs (tfjs-node-gpu 4.x links libtensorflow 2.9.1). */
export const CUDA_REQUIREMENTS = 'an NVIDIA GPU with CUDA 11.2 and cuDNN 8.1, on Linux or Windows';

/** The npm prefix the packages are installed into, under the extension's global storage folder. */
export function nativeBackendFolder(storageFolder: string): string {
  return path.join(storageFolder, 'native-backends');
}

/** The node_modules folder the worker searches for the installed packages. */
export function nativeBackendModulePath(storageFolder: string): string {
  return path.join(nativeBackendFolder(storageFolder), 'node_modules');
}

export interface NpmCommand {
  command: string;
  args: string[];
  /** Windows runs npm.cmd, a batch file, which Node starts only through a shell. */
  shell: boolean;
}

/**
 * `npm install --prefix <folder> <package>@<TFJS_VERSION>`. The prefix folder keeps its own package.json,
 * so that installing the other backend later does not prune this one (npm removes packages installed with
 * --no-save from a prefix at the next install).
 */
export function npmInstallCommand(backend: NativeBackend, prefix: string, platform: NodeJS.Platform = process.platform): NpmCommand {
  const args = ['install', '--prefix', prefix, '--no-audit', '--no-fund', `${NATIVE_BACKEND_PACKAGES[backend]}@${TFJS_VERSION}`];
  if (platform !== 'win32') return { command: 'npm', args, shell: false };
  return { command: 'npm.cmd', args: args.map((arg) => `"${arg}"`), shell: true };
}

/** The environment npm runs in: the extension host's, less the variables meant for Electron and its debugger. */
export function npmEnvironment(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, npm_config_update_notifier: 'false' };
  delete env.ELECTRON_RUN_AS_NODE;
  delete env.NODE_OPTIONS;
  return env;
}

export type InstallFailureKind = 'npm-missing' | 'offline' | 'native-library' | 'other';

export interface InstallFailure {
  kind: InstallFailureKind;
  /** For the user: what went wrong and what to do. */
  message: string;
}

const NETWORK_ERROR = /\b(ENOTFOUND|ETIMEDOUT|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ENETUNREACH|EHOSTUNREACH)\b/;
const LIBTENSORFLOW_DOWNLOAD = /Downloading libtensorflow|storage\.googleapis\.com/;
const CUDA_LIBRARY = /\b(libcudnn|libcudart|libcublas|libcufft|libcurand|libcusolver|libcusparse|cudnn64|cudart64)[\w.]*/i;
/** A native library file as load errors name it (not the .tar.gz that is downloaded). */
const NATIVE_LIBRARY = /\blibtensorflow[\w-]*\.(?:so|dylib)[\w.]*|\btensorflow\.dll\b|\btfjs_binding\.node\b/;
/** The command shells print when there is no npm on the PATH. */
const NPM_NOT_FOUND = /npm: (command )?not found|'npm(\.cmd)?' is not recognized/;
const LOG_LINES_SHOWN = 8;

export function npmMissing(): InstallFailure {
  return {
    kind: 'npm-missing',
    message:
      'npm was not found on the PATH. Installing a native backend needs Node.js and npm (https://nodejs.org): install them, restart VS Code and run the command again.',
  };
}

/** The last non-empty lines of a log, for failures with no known cause. */
function lastLines(log: string): string {
  const lines = log
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '');
  return lines.slice(-LOG_LINES_SHOWN).join('\n');
}

/**
 * What npm's output (or a backend's load error) says went wrong: no network for the package registry or
 * for the libtensorflow download, a native library that does not load (for the CUDA build: CUDA or cuDNN
 * missing), or else the last lines of the log.
 */
export function explainInstallFailure(output: string, backend: NativeBackend): InstallFailure {
  const packageName = NATIVE_BACKEND_PACKAGES[backend];
  if (NPM_NOT_FOUND.test(output)) return npmMissing();
  const network = NETWORK_ERROR.exec(output);
  if (network && LIBTENSORFLOW_DOWNLOAD.test(output)) {
    return {
      kind: 'offline',
      message: `${packageName} could not download libtensorflow from storage.googleapis.com (${network[1]}): this machine seems to be offline, or that host is blocked. Connect to the internet and run the command again.`,
    };
  }
  if (network) {
    return {
      kind: 'offline',
      message: `npm could not reach the package registry (${network[1]}): this machine seems to be offline, or behind a proxy npm is not configured for. Connect to the internet and run the command again.`,
    };
  }
  const cudaLibrary = CUDA_LIBRARY.exec(output);
  if (cudaLibrary) {
    return {
      kind: 'native-library',
      message: `${packageName} could not load ${cudaLibrary[0]}: the CUDA backend needs ${CUDA_REQUIREMENTS}. Install them, or install the CPU backend (@tensorflow/tfjs-node) instead.`,
    };
  }
  const nativeLibrary = NATIVE_LIBRARY.exec(output);
  if (nativeLibrary) {
    const hint = backend === 'tensorflow-gpu' ? `the CUDA backend needs ${CUDA_REQUIREMENTS}` : 'run the command again to reinstall it';
    return { kind: 'native-library', message: `${packageName} could not load ${nativeLibrary[0]}: ${hint}.` };
  }
  return { kind: 'other', message: `npm could not install ${packageName}. The end of its log:\n${lastLines(output)}` };
}

export type InstallResult = { status: 'installed' } | { status: 'cancelled' } | { status: 'failed'; failure: InstallFailure };

export interface InstallOptions {
  /** Each line npm prints (stdout and stderr). */
  onLine?: (line: string) => void;
  /** Aborting it kills npm. */
  signal?: AbortSignal;
  /** The environment npm runs in (npmEnvironment of this process's by default). */
  env?: NodeJS.ProcessEnv;
}

/** Runs npm to install the backend into `prefix` (created by npm if absent); resolves, never rejects. */
export function runNpmInstall(backend: NativeBackend, prefix: string, options: InstallOptions = {}): Promise<InstallResult> {
  const { command, args, shell } = npmInstallCommand(backend, prefix);
  const lines: string[] = [];
  return new Promise((resolve) => {
    const child = spawn(command, args, { shell, env: options.env ?? npmEnvironment(process.env), signal: options.signal, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        lines.push(line);
        options.onLine?.(line);
      });
    }
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.name === 'AbortError') resolve({ status: 'cancelled' });
      else if (error.code === 'ENOENT') resolve({ status: 'failed', failure: npmMissing() });
      else resolve({ status: 'failed', failure: { kind: 'other', message: `npm could not be started: ${error.message}` } });
    });
    // 'close', not 'exit': by then every line of output has been read.
    child.on('close', (code) => {
      if (options.signal?.aborted) resolve({ status: 'cancelled' });
      else if (code === 0) resolve({ status: 'installed' });
      else resolve({ status: 'failed', failure: explainInstallFailure(lines.join('\n'), backend) });
    });
  });
}

/**
 * For the user, after the worker restarted: whether it now runs on the installed backend and, if not, why
 * (it failed to load, the setting forces another backend, or automatic selection prefers another).
 */
export function describeInstallOutcome(installed: NativeBackend, running: BackendInfo, preference: BackendPreference): string {
  const done = `Installed ${NATIVE_BACKEND_PACKAGES[installed]}@${TFJS_VERSION}.`;
  const runsOn = `the model worker runs on ${describeBackend(running)}`;
  if (running.name === installed) return `${done} Now ${runsOn}.`;
  const skipped = running.skipped.find((entry) => entry.name === installed);
  if (skipped) return `${done} It does not load, so ${runsOn}: ${explainInstallFailure(skipped.reason, installed).message}`;
  if (preference !== 'auto')
    return `${done} But ${runsOn} because the setting vqAnomaly.backend is '${preference}': set it to 'auto' or '${installed}' to use the new one.`;
  return `${done} But ${runsOn}, which automatic selection tries first.`;
}
