import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './build-web';

function runMain(env: Record<string, string>, args: string[] = []) {
  return spawnSync(
    process.execPath,
    ['--import', 'tsx', 'server/main.ts', ...args],
    {
      cwd: REPO_ROOT,
      // only what we pass: MESHLENS_* variables of the outer shell must not leak in
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        ...env,
      } as unknown as NodeJS.ProcessEnv,
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
}

describe('server/main.ts start-up', () => {
  it('exits non-zero on bad config with a message naming each bad variable', () => {
    const result = runMain({
      MESHLENS_WEB_PORT: 'eighty',
      MESHLENS_ROLES: 'web,colector',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('MESHLENS_WEB_PORT');
    expect(result.stderr).toContain('"eighty"');
    expect(result.stderr).toContain('colector');
  });

  it('db:migrate (--migrate-only) applies the schema to a fresh data folder and exits 0', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshlens-migrate-'));
    try {
      const first = runMain({ MESHLENS_DATA_DIR: dataDir }, ['--migrate-only']);
      expect(first.status, first.stderr + first.stdout).toBe(0);
      expect(first.stdout).toMatch(
        /"migration":"0001_spans\.sql","msg":"migration applied"/,
      );
      const second = runMain({ MESHLENS_DATA_DIR: dataDir }, [
        '--migrate-only',
      ]);
      expect(second.status).toBe(0);
      expect(second.stdout).not.toContain('migration applied');
      expect(second.stdout).toMatch(/"applied":0,"alreadyApplied":\d+/);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
