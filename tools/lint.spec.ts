import { execFileSync } from 'node:child_process';
import path from 'node:path';

/**
 * Lint, types and format are part of `npm test`: ESLint (with the Nx module boundaries and the
 * workflow sandbox rules), the TypeScript check of all code including tests, and Prettier.
 */
const root = path.resolve(__dirname, '..');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);
const run = (cmd: string, args: string[]) =>
  execFileSync(cmd, args, {
    cwd: root,
    encoding: 'utf8',
    stdio: 'pipe',
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
  });

describe('code quality', () => {
  beforeAll(() => {
    // The module-boundary rule reads Nx's project graph; compute it first.
    run(bin('nx'), ['show', 'projects']);
  }, 60000);

  it('passes ESLint with no errors', () => {
    try {
      run(bin('eslint'), ['--max-warnings', '0', '.']);
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string };
      throw new Error(`eslint found problems:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
    }
  }, 120000);

  // The rules themselves, so that a rule switched off fails here rather than passing silently.
  const lintProbe = (file: string, code: string): string => {
    try {
      execFileSync(bin('eslint'), ['--stdin', '--stdin-filename', file], {
        cwd: root,
        input: code,
        encoding: 'utf8',
        stdio: 'pipe',
        env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
      });
      return '';
    } catch (err) {
      return (err as { stdout?: string }).stdout ?? '';
    }
  };

  it.each([
    [
      'a service importing another service',
      'services/intake/src/probe.ts',
      "import { DispatchModule } from '@hotline/dispatch';\nexport const x = DispatchModule;\n",
      /enforce-module-boundaries/,
    ],
    [
      'workflow code importing a Node built-in',
      'workflows/src/workflows/probe.ts',
      "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n",
      /no-restricted-imports/,
    ],
    [
      'workflow code importing infrastructure',
      'workflows/src/workflows/probe.ts',
      "import { OutboxRelay } from '@hotline/platform';\nexport const x = OutboxRelay;\n",
      /no-restricted-imports|enforce-module-boundaries/,
    ],
    [
      'a controller reaching a repository',
      'services/intake/src/probe.controller.ts',
      "import { PolicyRepository } from '@hotline/platform';\nexport const x = PolicyRepository;\n",
      /no-restricted-syntax/,
    ],
    [
      "a controller importing its service's repository",
      'services/evaluation/src/votes/probe.controller.ts',
      "import { SmsRepository } from '../sms/sms.repository';\nexport const x = SmsRepository;\n",
      /no-restricted-imports/,
    ],
    [
      'a controller calling Temporal',
      'services/dispatch/src/probe.controller.ts',
      "import { Client } from '@temporalio/client';\nexport const x = Client;\n",
      /no-restricted-imports/,
    ],
    [
      'the domain library importing a framework',
      'libs/shared/src/probe.ts',
      "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n",
      /no-restricted-imports/,
    ],
  ])(
    'rejects %s',
    (_what, file, code, rule) => {
      expect(lintProbe(file, code)).toMatch(rule);
    },
    60000,
  );

  it('type-checks everything, tests included (the build checks only the shipped code)', () => {
    try {
      run(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string };
      throw new Error(`tsc found errors:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
    }
  }, 180000);

  it('is formatted with Prettier', () => {
    try {
      run(bin('prettier'), ['--check', '--log-level', 'warn', '.']);
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string };
      throw new Error(`not formatted (run npm run format):\n${e.stdout ?? ''}${e.stderr ?? ''}`);
    }
  }, 120000);
});
