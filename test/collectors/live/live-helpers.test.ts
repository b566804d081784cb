// The small pieces of the live collectors: the semaphore, CLI-shaped JSON, and SDK error classification.

import { describe, expect, it } from 'vitest';
import { classifySdkError, LiveScanError } from '../../../src/collectors/live/live-scan-error.js';
import { Semaphore } from '../../../src/collectors/live/semaphore.js';
import { cliTimestamp, toCliJson } from '../../../src/collectors/live/to-cli-json.js';

describe('Semaphore', () => {
  it('never runs more than its limit at once and runs everything', async () => {
    const semaphore = new Semaphore(3);
    let active = 0;
    let peak = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        semaphore.run(async () => {
          active += 1;
          peak = Math.max(peak, active);
          await new Promise((resolve) => setTimeout(resolve, 2));
          active -= 1;
          return index;
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(results).toEqual(Array.from({ length: 20 }, (_, index) => index));
  });

  it('releases its permit when a task throws', async () => {
    const semaphore = new Semaphore(1);
    await expect(semaphore.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(semaphore.run(() => Promise.resolve('next'))).resolves.toBe('next');
  });

  it('rejects a limit below 1', () => {
    expect(() => new Semaphore(0)).toThrow(RangeError);
  });
});

describe('toCliJson', () => {
  it('drops $metadata and undefined members and prints Dates as the AWS CLI does', () => {
    const output = {
      $metadata: { httpStatusCode: 200 },
      NextToken: undefined,
      Items: [
        { LaunchTime: new Date('2026-11-20T11:58:12.000Z'), Ping: new Date('2026-11-20T11:58:12.345Z') },
      ],
    };
    expect(toCliJson(output)).toEqual({
      Items: [{ LaunchTime: '2026-11-20T11:58:12+00:00', Ping: '2026-11-20T11:58:12.345000+00:00' }],
    });
    expect(cliTimestamp(new Date(0))).toBe('1970-01-01T00:00:00+00:00');
  });
});

describe('classifySdkError', () => {
  const serviceError = (name: string) =>
    Object.assign(new Error(`${name} happened`), { name, $metadata: {} });

  it('records service errors by name', () => {
    expect(classifySdkError(serviceError('AccessDenied'), 'x')).toEqual({
      code: 'AccessDenied',
      message: 'AccessDenied happened',
    });
    expect(classifySdkError(serviceError('OptInRequired'), 'x').code).toBe('OptInRequired');
  });

  it.for(['ExpiredToken', 'InvalidClientTokenId', 'CredentialsProviderError', 'UnrecognizedClientException'])(
    'aborts on %s as LIVE_CREDENTIALS_INVALID',
    (name) => {
      expect(() => classifySdkError(serviceError(name), 'x')).toThrow(
        expect.objectContaining({ code: 'LIVE_CREDENTIALS_INVALID', name: 'LiveScanError' }),
      );
    },
  );

  it('aborts on socket errors as LIVE_NETWORK_UNREACHABLE and rethrows bugs unchanged', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(() => classifySdkError(refused, 'x')).toThrow(LiveScanError);
    const bug = new TypeError('undefined is not a function');
    expect(() => classifySdkError(bug, 'x')).toThrow(bug);
  });
});
