// Unpacks the extension of a .vsix (its extension/ folder) into a folder: the files a user's VS Code
// installs, and what the container image (Dockerfile) runs the command line from.
// Usage: node scripts/unpack-vsix.mjs <file.vsix> <folder>
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';

const [vsix, folder] = process.argv.slice(2);
if (!vsix || !folder) {
  console.error('usage: node scripts/unpack-vsix.mjs <file.vsix> <folder>');
  process.exit(2);
}
let count = 0;
for (const [name, data] of Object.entries(unzipSync(readFileSync(vsix)))) {
  if (!name.startsWith('extension/') || name.endsWith('/')) continue;
  const target = join(folder, name.slice('extension/'.length));
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, data);
  count++;
}
console.log(`unpacked ${count} files of ${vsix} into ${folder}`);
