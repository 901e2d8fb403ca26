// Writes the README the .vsix ships: USER_GUIDE.md with each relative PNG/JPEG image inlined as a data:
// URI. VS Code's extension details page does not resolve relative image links against the installed
// extension (they show as broken images), and vsce can only rewrite them to a public repository URL,
// which this project does not have; a data: URI displays there (checked in code-server 4.100, the VS Code
// 1.100 workbench, by scripts/demo.sh --check). Usage: node scripts/inline-readme-images.mjs <in.md> <out.md>
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: node scripts/inline-readme-images.mjs <in.md> <out.md>');
  process.exit(2);
}
const TYPES = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg' };
let count = 0;
const text = readFileSync(input, 'utf8').replace(/(!\[[^\]]*\]\()([^)\s:]+\.(png|jpe?g))\)/gi, (_, start, path, ext) => {
  const data = readFileSync(join(dirname(input), path)).toString('base64');
  count++;
  return `${start}data:${TYPES[ext.toLowerCase()]};base64,${data})`;
});
mkdirSync(dirname(output), { recursive: true });
writeFileSync(output, text);
console.log(`${output}: ${input} with ${count} images inlined (${Math.round(text.length / 1024)} KiB)`);
