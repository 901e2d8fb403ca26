// Runs code-server (the real VS Code server and workbench, installed by scripts/setup-code-server.sh):
// installs extensions into, and starts servers on, a state folder of their own; a server listens on
// 127.0.0.1 and runs in its own process group so that stop() ends it and every child it forked.
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { CODE_SERVER_BIN, USER_SETTINGS } from './paths';

export interface CodeServer {
  port: number;
  /** Settles when the server process exits (stopped, or crashed). */
  exited: Promise<void>;
  /** The server's output (stdout and stderr), for diagnosing a failed start. */
  logFile: string;
  /** Workbench URL opening `folder`, with VS Code's `payload` parameter when given. */
  workbenchUrl(folder: string, payload?: [string, string][]): string;
  /** The URI under which the workbench reaches a path on the server's disk. */
  remoteUri(path: string): string;
  /** Kills the server's whole process group; safe to call more than once. */
  stop(): void;
}

/**
 * Prepares the state folder: VS Code's user data (with the project's test settings), the extensions
 * folder, and an empty config file (keeps code-server from writing ~/.config/code-server). Returns the
 * command-line options that point code-server at them.
 */
function useStateFolder(stateDir: string): string[] {
  if (!existsSync(CODE_SERVER_BIN)) {
    throw new Error(`code-server is not installed at ${CODE_SERVER_BIN}: run bash scripts/setup-code-server.sh`);
  }
  const userDataDir = join(stateDir, 'user-data');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  copyFileSync(USER_SETTINGS, join(userDataDir, 'User/settings.json'));
  const config = join(stateDir, 'code-server-config.yaml');
  writeFileSync(config, '');
  return ['--user-data-dir', userDataDir, '--extensions-dir', join(stateDir, 'extensions'), '--config', config];
}

/** Installs a VSIX into the state folder's extensions, as `code-server --install-extension` does for users. */
export function installExtension(stateDir: string, vsix: string): void {
  execFileSync(CODE_SERVER_BIN, ['--install-extension', vsix, ...useStateFolder(stateDir)], { stdio: 'inherit' });
}

/** Asks the OS for a free port on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** code-server answers in a few seconds; a cold start on a loaded 2-core machine can take a minute. */
async function waitForHealthz(port: number, hasExited: () => boolean, logFile: string, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (hasExited()) throw new Error(`code-server exited during start-up; its output:\n${readFileSync(logFile, 'utf8')}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not answer /healthz on port ${port} within ${timeoutMs / 1000} s (output in ${logFile})`);
}

/** Starts code-server on the state folder `stateDir` (its log goes there too); `port` defaults to a free one. */
export async function startCodeServer(stateDir: string, port?: number): Promise<CodeServer> {
  const stateOptions = useStateFolder(stateDir);
  const logFile = join(stateDir, 'code-server.log');
  const output = openSync(logFile, 'a');
  port ??= await freePort();
  // prettier-ignore
  const args = [
    '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--ignore-last-opened', ...stateOptions,
  ];
  const child = spawn(CODE_SERVER_BIN, args, { detached: true, stdio: ['ignore', output, output], env: process.env });
  let hasExited = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => (hasExited = true));

  const server: CodeServer = {
    port,
    exited,
    logFile,
    remoteUri: (path) => `vscode-remote://127.0.0.1:${port}${path}`,
    workbenchUrl(folder, payload) {
      const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder).replaceAll('%2F', '/')}`; // readable
      return payload ? `${url}&payload=${encodeURIComponent(JSON.stringify(payload))}` : url;
    },
    stop() {
      if (child.pid === undefined) return; // never started
      try {
        process.kill(-child.pid, 'SIGKILL'); // the group outlives its leader: kill it even after an exit
      } catch {
        // the whole group is gone already
      }
    },
  };
  try {
    await waitForHealthz(port, () => hasExited, logFile);
  } catch (error) {
    server.stop();
    throw error;
  }
  return server;
}
