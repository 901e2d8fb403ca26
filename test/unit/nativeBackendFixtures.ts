// A stand-in for @tensorflow/tfjs-node, installed into a temporary node_modules folder as the extension's
// installer would: it registers a backend named 'tensorflow' (the CPU backend's code, and its kernels
// registered again under that name) in the tfjs engine, as the real package does with libtensorflow.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** Creates `<folder>/node_modules/@tensorflow/tfjs-node` and returns that node_modules folder. */
export function installFakeTfjsNode(folder: string): string {
  const nodeModules = join(folder, 'node_modules');
  const packageFolder = join(nodeModules, '@tensorflow', 'tfjs-node');
  mkdirSync(packageFolder, { recursive: true });
  // By absolute path: the temporary folder has no tfjs-core of its own (the real package brings one; tfjs
  // copies share a single engine through a global).
  const projectRequire = createRequire(join(process.cwd(), 'package.json'));
  const core = JSON.stringify(projectRequire.resolve('@tensorflow/tfjs-core'));
  const cpu = JSON.stringify(projectRequire.resolve('@tensorflow/tfjs-backend-cpu'));
  writeFileSync(join(packageFolder, 'package.json'), JSON.stringify({ name: '@tensorflow/tfjs-node', version: '4.22.0', main: 'index.js' }));
  writeFileSync(
    join(packageFolder, 'index.js'),
    `const tf = require(${core});
const { MathBackendCPU } = require(${cpu});
tf.registerBackend('tensorflow', () => new MathBackendCPU());
for (const kernel of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...kernel, backendName: 'tensorflow' });
`,
  );
  return nodeModules;
}
