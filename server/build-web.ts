/**
 * Makes sure a production build of the web app exists and is newer than its sources; builds it
 * (once, ~30-60 s) when not. Used by server/main.ts and the e2e test setup.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
);
const SOURCES = ['app', 'next.config.ts', 'package.json', 'server/api'];

function newestMtime(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of fs.readdirSync(p))
    newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

export function webBuildIsCurrent(root = REPO_ROOT): boolean {
  const buildId = path.join(root, '.next', 'BUILD_ID');
  if (!fs.existsSync(buildId)) return false;
  const built = fs.statSync(buildId).mtimeMs;
  return SOURCES.every((s) => newestMtime(path.join(root, s)) <= built);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Takes the build lock, waiting while another live process holds it. */
async function acquireBuildLock(root: string): Promise<() => void> {
  const lock = path.join(root, '.next-build.lock');
  for (;;) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lock, { force: true });
    } catch {
      const holder = Number(fs.readFileSync(lock, 'utf8') || 0);
      if (!holder || !pidAlive(holder)) fs.rmSync(lock, { force: true });
      else await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/**
 * Runs `next build` when needed; concurrent starts wait for one build (a lock file with the
 * builder's pid). `onStart` is told before a build begins (for a log line).
 */
export async function ensureWebBuild(
  onStart?: () => void,
  root = REPO_ROOT,
): Promise<boolean> {
  if (webBuildIsCurrent(root)) return false;
  const release = await acquireBuildLock(root);
  try {
    if (webBuildIsCurrent(root)) return false;
    onStart?.();
    await runNextBuild(root);
    return true;
  } finally {
    release();
  }
}

async function runNextBuild(root: string): Promise<void> {
  const nextBin = path.join(
    root,
    'node_modules',
    'next',
    'dist',
    'bin',
    'next',
  );
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin, 'build'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(
            new Error(
              `next build failed (exit ${code}):\n${output.slice(-4000)}`,
            ),
          ),
    );
  });
}
