// Entry point VS Code's test hook loads in the extension host (extensionTestsPath points at this
// folder): runs every *.test.js beside it with mocha, in file-name order, and ends with the line
// `integration: N passed, N failed, N skipped` that the scripts read. INTEGRATION_GREP (environment,
// a regular expression) runs only the tests whose full title matches it; the later suites need the
// model that "train on a folder" writes, so keep it in: INTEGRATION_GREP='train|palette'.
import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';

export async function run(): Promise<void> {
  // The workbench joins console.log arguments without applying %s/%d: format them here.
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => console.log(format(...args));
  // Training and scoring run for real in a worker process: generous per-test limits; the screenshot run
  // (VQ_TEST_SHOWCASE) trains the demo's 600 steps, about 4 minutes on 2 quiet cores, more on a loaded machine.
  const timeout = process.env.VQ_TEST_SHOWCASE === '1' ? 900_000 : 240_000;
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout, slow: 30_000 });
  if (process.env.INTEGRATION_GREP) mocha.grep(new RegExp(process.env.INTEGRATION_GREP));
  for (const file of readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort()) {
    mocha.addFile(join(__dirname, file));
  }
  const runner = await new Promise<Mocha.Runner>((resolve) => {
    const started = mocha.run(() => resolve(started));
  });
  const { passes, failures, pending } = runner.stats!; // mocha's stats collector fills it on run()
  console.log(`integration: ${passes} passed, ${failures} failed, ${pending} skipped`);
  if (failures > 0) throw new Error(`${failures} integration test(s) failed`);
}
