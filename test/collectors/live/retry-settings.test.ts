// Retry settings as the AWS CLI reads them: the flag, then AWS_MAX_ATTEMPTS / AWS_RETRY_MODE, then the profile's
// max_attempts / retry_mode, then ssmguard's defaults (20 attempts, adaptive); bad values are usage errors.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_RETRY_MODE,
  parseMaxAttempts,
  resolveRetrySettings,
} from '../../../src/collectors/live/retry-settings.js';

const folders: string[] = [];
afterEach(() => {
  vi.unstubAllEnvs();
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function environment(vars: Record<string, string | undefined>, config: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'ssmguard-retry-'));
  folders.push(dir);
  writeFileSync(join(dir, 'config'), config);
  vi.stubEnv('AWS_CONFIG_FILE', join(dir, 'config'));
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(dir, 'credentials'));
  vi.stubEnv('AWS_PROFILE', undefined);
  vi.stubEnv('AWS_MAX_ATTEMPTS', undefined);
  vi.stubEnv('AWS_RETRY_MODE', undefined);
  for (const [name, value] of Object.entries(vars)) vi.stubEnv(name, value);
}

const PROFILES =
  '[default]\nmax_attempts = 7\nretry_mode = standard\n[profile audit]\nmax_attempts = 4\n[profile bare]\nregion = eu-west-1\n';

describe('resolveRetrySettings', () => {
  it.for([
    {
      name: 'nothing configured',
      vars: {},
      config: '',
      profile: 'bare',
      expected: [DEFAULT_MAX_ATTEMPTS, DEFAULT_RETRY_MODE],
    },
    { name: 'the default profile', vars: {}, config: PROFILES, expected: [7, 'standard'] },
    {
      name: 'a named profile',
      vars: {},
      config: PROFILES,
      profile: 'audit',
      expected: [4, DEFAULT_RETRY_MODE],
    },
    {
      name: 'AWS_PROFILE',
      vars: { AWS_PROFILE: 'audit' },
      config: PROFILES,
      expected: [4, DEFAULT_RETRY_MODE],
    },
    {
      name: 'the environment before the profile',
      vars: { AWS_MAX_ATTEMPTS: '12', AWS_RETRY_MODE: 'adaptive' },
      config: PROFILES,
      expected: [12, 'adaptive'],
    },
    {
      name: 'an empty variable as unset',
      vars: { AWS_MAX_ATTEMPTS: '' },
      config: PROFILES,
      expected: [7, 'standard'],
    },
    {
      name: 'the explicit flag before everything',
      vars: { AWS_MAX_ATTEMPTS: '12' },
      config: PROFILES,
      explicit: { maxAttempts: 30 },
      expected: [30, 'standard'],
    },
  ])('takes $name', async ({ vars, config, profile, explicit, expected }) => {
    environment(vars, config);
    const settings = await resolveRetrySettings(explicit ?? {}, profile);
    expect([settings.maxAttempts, settings.retryMode]).toEqual(expected);
  });

  it.for([
    {
      vars: { AWS_MAX_ATTEMPTS: 'ten' },
      config: '',
      says: 'AWS_MAX_ATTEMPTS must be a whole number of attempts from 1 to 100',
    },
    { vars: { AWS_MAX_ATTEMPTS: '0' }, config: '', says: 'got "0"' },
    { vars: { AWS_MAX_ATTEMPTS: '3x' }, config: '', says: 'got "3x"' },
    { vars: {}, config: '[default]\nmax_attempts = 1000\n', says: 'max_attempts of profile default must be' },
    {
      vars: { AWS_RETRY_MODE: 'legacy' },
      config: '',
      says: 'AWS_RETRY_MODE must be standard or adaptive, got "legacy"',
    },
    {
      vars: {},
      config: '[default]\nretry_mode = fast\n',
      says: 'retry_mode of profile default must be standard or adaptive',
    },
  ])('refuses $says', async ({ vars, config, says }) => {
    environment(vars, config);
    await expect(resolveRetrySettings({})).rejects.toThrow(says);
  });
});

describe('parseMaxAttempts', () => {
  it.for(['1', '20', '100'])('takes %s', (value) => {
    expect(parseMaxAttempts(value)).toBe(Number(value));
  });
  it.for(['0', '101', '-1', '2.5', 'ten', '', '1e2'])('refuses "%s"', (value) => {
    expect(() => parseMaxAttempts(value)).toThrow(
      /--max-attempts must be a whole number of attempts from 1 to 100/,
    );
  });
});
