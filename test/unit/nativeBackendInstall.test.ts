// Installing a native backend with npm (models/runtime/nativeBackendInstall.ts): the command line, its
// environment, what failures mean (on npm output captured from real failed installs), cancelling and a
// missing npm for real, and, when VQ_REAL_NPM_INSTALL=1, a real install of @tensorflow/tfjs-node.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { selectBackend } from '../../models/runtime/backend';
import type { BackendInfo } from '../../models/runtime/backendNames';
import {
  TFJS_VERSION,
  describeInstallOutcome,
  explainInstallFailure,
  nativeBackendModulePath,
  npmEnvironment,
  npmInstallCommand,
  runNpmInstall,
} from '../../models/runtime/nativeBackendInstall';

/** `npm install @tensorflow/tfjs-node@4.22.0` on a machine that reaches the npm registry only (captured here). */
const LIBTENSORFLOW_DOWNLOAD_FAILED = `npm error code 1
npm error path /tmp/nbcap/dir/node_modules/@tensorflow/tfjs-node
npm error command failed
npm error command sh -c node scripts/install.js
npm error CPU-linux-4.22.0.tar.gz
npm error https://storage.googleapis.com/tensorflow/libtensorflow/libtensorflow-cpu-linux-x86_64-2.9.1.tar.gz
npm error * Downloading libtensorflow
npm error node:events:502
npm error       throw er; // Unhandled 'error' event
npm error       ^
npm error
npm error Error: getaddrinfo ENOTFOUND storage.googleapis.com
npm error     at GetAddrInfoReqWrap.onlookupall [as oncomplete] (node:dns:122:26)
npm error   code: 'ENOTFOUND',
npm error   syscall: 'getaddrinfo',
npm error   hostname: 'storage.googleapis.com'
npm error }`;

/** The same with an unreachable registry (captured here with --registry http://registry.invalid/). */
const REGISTRY_UNREACHABLE = `npm error code ENOTFOUND
npm error syscall getaddrinfo
npm error errno ENOTFOUND
npm error network request to http://registry.invalid/@tensorflow%2ftfjs-node failed, reason: getaddrinfo ENOTFOUND registry.invalid
npm error network This is a problem related to network connectivity.`;

/** Loading @tensorflow/tfjs-node installed with --ignore-scripts (no libtensorflow, no binding), captured here. */
const BINDING_MISSING =
  '@tensorflow/tfjs-node is installed but failed to load: The Node.js native addon module (tfjs_binding.node) can not be found at path: /tmp/nbcap/dir3/node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node. ';

/** tfjs-node-gpu's load error on Linux without cuDNN. */
const CUDNN_MISSING = 'libcudnn.so.8: cannot open shared object file: No such file or directory';

test("the pinned version is the project's tfjs version", () => {
  const installed = JSON.parse(readFileSync(join('node_modules', '@tensorflow', 'tfjs-core', 'package.json'), 'utf8')).version;
  assert.equal(TFJS_VERSION, installed);
});

test('npm installs the pinned package into the prefix; on Windows through a shell, arguments quoted', () => {
  assert.deepEqual(npmInstallCommand('tensorflow', '/home/u/storage/native-backends', 'linux'), {
    command: 'npm',
    args: ['install', '--prefix', '/home/u/storage/native-backends', '--no-audit', '--no-fund', '@tensorflow/tfjs-node@4.22.0'],
    shell: false,
  });
  const windows = npmInstallCommand('tensorflow-gpu', 'C:\\Users\\A B\\native-backends', 'win32');
  assert.equal(windows.command, 'npm.cmd');
  assert.equal(windows.shell, true);
  assert.deepEqual(windows.args.slice(2, 3), ['"C:\\Users\\A B\\native-backends"']);
  assert.equal(windows.args.at(-1), '"@tensorflow/tfjs-node-gpu@4.22.0"');
  assert.equal(nativeBackendModulePath('/s'), join('/s', 'native-backends', 'node_modules'));
});

test("npm's environment drops the extension host's Electron and debugger variables", () => {
  const env = npmEnvironment({ PATH: '/usr/bin', ELECTRON_RUN_AS_NODE: '1', NODE_OPTIONS: '--inspect' });
  assert.deepEqual(env, { PATH: '/usr/bin', npm_config_update_notifier: 'false' });
});

test('a failed libtensorflow download reads as offline, naming the host', () => {
  const failure = explainInstallFailure(LIBTENSORFLOW_DOWNLOAD_FAILED, 'tensorflow');
  assert.equal(failure.kind, 'offline');
  assert.match(failure.message, /^@tensorflow\/tfjs-node could not download libtensorflow from storage\.googleapis\.com \(ENOTFOUND\)/);
});

test('an unreachable registry reads as offline', () => {
  const failure = explainInstallFailure(REGISTRY_UNREACHABLE, 'tensorflow');
  assert.equal(failure.kind, 'offline');
  assert.match(failure.message, /^npm could not reach the package registry \(ENOTFOUND\)/);
});

test('a missing cuDNN reads as a CUDA requirement; a missing libtensorflow or binding as a library that does not load', () => {
  const cuda = explainInstallFailure(CUDNN_MISSING, 'tensorflow-gpu');
  assert.equal(cuda.kind, 'native-library');
  assert.match(cuda.message, /could not load libcudnn\.so\.8: the CUDA backend needs an NVIDIA GPU with CUDA 11\.2 and cuDNN 8\.1/);
  const library = explainInstallFailure('libtensorflow.so.2: cannot open shared object file: No such file or directory', 'tensorflow');
  assert.equal(library.message, '@tensorflow/tfjs-node could not load libtensorflow.so.2: run the command again to reinstall it.');
  assert.equal(
    explainInstallFailure(BINDING_MISSING, 'tensorflow').message,
    '@tensorflow/tfjs-node could not load tfjs_binding.node: run the command again to reinstall it.',
  );
});

test('another failure shows the last 8 lines of the log', () => {
  const log = Array.from({ length: 12 }, (_, i) => `line ${i + 1}`).join('\n\n');
  const failure = explainInstallFailure(log, 'tensorflow');
  assert.equal(failure.kind, 'other');
  assert.equal(
    failure.message,
    `npm could not install @tensorflow/tfjs-node. The end of its log:\n${['5', '6', '7', '8', '9', '10', '11', '12'].map((n) => `line ${n}`).join('\n')}`,
  );
});

test('the outcome says which backend the restarted worker uses, and why not the installed one', () => {
  const cpu: BackendInfo = { name: 'tensorflow', tfjsName: 'tensorflow', skipped: [{ name: 'tensorflow-gpu', reason: CUDNN_MISSING }] };
  assert.equal(
    describeInstallOutcome('tensorflow', cpu, 'auto'),
    'Installed @tensorflow/tfjs-node@4.22.0. Now the model worker runs on tensorflow (native TensorFlow, CPU).',
  );
  assert.match(
    describeInstallOutcome('tensorflow-gpu', cpu, 'auto'),
    /^Installed @tensorflow\/tfjs-node-gpu@4\.22\.0\. It does not load, so the model worker runs on tensorflow \(native TensorFlow, CPU\): .* could not load libcudnn\.so\.8/,
  );
  const wasm: BackendInfo = { name: 'wasm', tfjsName: 'wasm', skipped: [] };
  assert.match(describeInstallOutcome('tensorflow', wasm, 'wasm'), /because the setting vqAnomaly\.backend is 'wasm': set it to 'auto' or 'tensorflow'/);
});

test('without npm on the PATH the failure says Node.js and npm are needed', async () => {
  const result = await runNpmInstall('tensorflow', join(tmpdir(), 'never-created'), { env: { PATH: '' } });
  assert.equal(result.status, 'failed');
  assert.ok(result.status === 'failed' && result.failure.kind === 'npm-missing');
  assert.match(result.failure.message, /needs Node\.js and npm/);
});

test('cancelling kills npm', async () => {
  const prefix = mkdtempSync(join(tmpdir(), 'native-install-'));
  try {
    const controller = new AbortController();
    const started = Date.now();
    const running = runNpmInstall('tensorflow', prefix, { signal: controller.signal });
    setTimeout(() => controller.abort(), 300);
    assert.deepEqual(await running, { status: 'cancelled' });
    assert.ok(Date.now() - started < 10_000);
  } finally {
    rmSync(prefix, { recursive: true, force: true });
  }
});

const REAL_INSTALL_TIMEOUT_MS = 180_000;

test(
  'a real install either fails with a clear message or installs a backend that loads',
  { skip: process.env.VQ_REAL_NPM_INSTALL !== '1' && 'set VQ_REAL_NPM_INSTALL=1 to run npm for real (network, up to 3 minutes)' },
  async (t) => {
    const storage = mkdtempSync(join(tmpdir(), 'native-install-'));
    try {
      const result = await runNpmInstall('tensorflow', join(storage, 'native-backends'), { signal: AbortSignal.timeout(REAL_INSTALL_TIMEOUT_MS) });
      if (result.status === 'cancelled') return t.skip(`npm took longer than ${REAL_INSTALL_TIMEOUT_MS / 1000} s`);
      if (result.status === 'failed') {
        t.diagnostic(result.failure.message);
        assert.equal(result.failure.kind, 'offline', result.failure.message);
        return;
      }
      const info = await selectBackend('tensorflow', () => {}, { extraModulePaths: [nativeBackendModulePath(storage)] });
      assert.equal(info.name, 'tensorflow');
    } finally {
      rmSync(storage, { recursive: true, force: true });
    }
  },
);
