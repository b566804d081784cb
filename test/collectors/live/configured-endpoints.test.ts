// The clients a scan builds go where the SDK's endpoint configuration says ("Service-specific endpoints",
// https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html): our construction must not defeat
// it, and `--profile` must reach it. A middleware stops every request before it is sent, so nothing leaves.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import type { BuildHandlerOptions, BuildMiddleware } from '@smithy/types';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApiCallCounter } from '../../../src/collectors/live/api-call-counter.js';
import { awsClients, type ClientSettings } from '../../../src/collectors/live/aws-clients.js';
import { assertProfileExists, withProfile } from '../../../src/collectors/live/aws-profile.js';
import { FAKE_CREDENTIALS } from './live-test-kit.js';

const folders: string[] = [];
afterEach(() => {
  vi.unstubAllEnvs();
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Only the variables a case sets: no endpoint, profile or config from the developer's shell. */
function environment(vars: Record<string, string | undefined> = {}, config = ''): void {
  const dir = mkdtempSync(join(tmpdir(), 'ssmguard-endpoints-'));
  folders.push(dir);
  writeFileSync(join(dir, 'config'), config);
  const names = ['EC2', 'SSM', 'IAM', 'STS', 'ORGANIZATIONS', 'CONFIG_SERVICE'];
  for (const name of ['AWS_ENDPOINT_URL', ...names.map((n) => `AWS_ENDPOINT_URL_${n}`)])
    vi.stubEnv(name, undefined);
  vi.stubEnv('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS', undefined);
  vi.stubEnv('AWS_PROFILE', undefined);
  vi.stubEnv('AWS_CONFIG_FILE', join(dir, 'config'));
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(dir, 'credentials'));
  vi.stubEnv('AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED', 'true');
  for (const [name, value] of Object.entries(vars)) vi.stubEnv(name, value);
}

type Service = 'ec2' | 'ssm' | 'sts' | 'iam' | 'organizations' | 'config';

/** What these tests use of any of the six clients. */
interface StoppableClient {
  middlewareStack: { add(middleware: BuildMiddleware<object, object>, options: BuildHandlerOptions): void };
  send(command: unknown): Promise<unknown>;
  destroy(): void;
}

/** The URL (scheme, host, port) the client of `service` would send its first request to. */
async function destination(service: Service, extra: Partial<ClientSettings> = {}): Promise<string> {
  const settings: ClientSettings = {
    counter: createApiCallCounter(),
    credentials: FAKE_CREDENTIALS,
    maxAttempts: 1,
    ...extra,
  };
  const client = (service === 'iam' || service === 'organizations'
    ? awsClients[service](settings)
    : awsClients[service](settings, 'eu-west-1')) as unknown as StoppableClient;
  let url = '';
  client.middlewareStack.add(
    () => (args) => {
      const request = args.request as { protocol: string; hostname: string; port?: number };
      url = `${request.protocol}//${request.hostname}${request.port ? `:${request.port}` : ''}`;
      throw new Error('stopped before sending');
    },
    { step: 'build', name: 'captureDestination' },
  );
  // Any command will do: the endpoint is resolved per client and service, not per operation.
  await expect(client.send(new DescribeRegionsCommand({}))).rejects.toThrow('stopped before sending');
  client.destroy();
  return url;
}

const SERVICES: Service[] = ['ec2', 'ssm', 'sts', 'iam', 'organizations', 'config'];

describe('configured endpoints reach every client a scan builds', () => {
  it.for([
    {
      name: 'AWS_ENDPOINT_URL sends every service there',
      vars: { AWS_ENDPOINT_URL: 'http://all.test:1' },
      expected: { ec2: 'http://all.test:1', config: 'http://all.test:1', organizations: 'http://all.test:1' },
    },
    {
      name: 'AWS_ENDPOINT_URL_<SERVICE> wins over AWS_ENDPOINT_URL for its service only',
      vars: {
        AWS_ENDPOINT_URL: 'http://all.test:1',
        AWS_ENDPOINT_URL_EC2: 'http://ec2.test:2',
        AWS_ENDPOINT_URL_SSM: 'http://ssm.test:3',
        AWS_ENDPOINT_URL_IAM: 'http://iam.test:4',
        AWS_ENDPOINT_URL_STS: 'http://sts.test:5',
        AWS_ENDPOINT_URL_CONFIG_SERVICE: 'http://config.test:6',
        AWS_ENDPOINT_URL_ORGANIZATIONS: 'http://organizations.test:7',
      },
      expected: {
        ec2: 'http://ec2.test:2',
        ssm: 'http://ssm.test:3',
        iam: 'http://iam.test:4',
        sts: 'http://sts.test:5',
        config: 'http://config.test:6',
        organizations: 'http://organizations.test:7',
      },
    },
    {
      name: "the default profile's endpoint_url",
      config: '[default]\nendpoint_url = http://profile.test:8\n',
      expected: { ec2: 'http://profile.test:8', iam: 'http://profile.test:8' },
    },
    {
      name: "the profile's services section before its endpoint_url, and the environment before both",
      vars: { AWS_ENDPOINT_URL_SSM: 'http://env-ssm.test:9' },
      config:
        '[default]\nendpoint_url = http://profile.test:8\nservices = local\n' +
        '[services local]\nec2 =\n  endpoint_url = http://section-ec2.test:10\n' +
        'config_service =\n  endpoint_url = http://section-config.test:11\n' +
        'ssm =\n  endpoint_url = http://section-ssm.test:12\n',
      expected: {
        ec2: 'http://section-ec2.test:10',
        config: 'http://section-config.test:11',
        ssm: 'http://env-ssm.test:9',
        sts: 'http://profile.test:8',
      },
    },
    {
      name: 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true turns all of them off',
      vars: { AWS_ENDPOINT_URL: 'http://all.test:1', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' },
      config: '[default]\nendpoint_url = http://profile.test:8\n',
      expected: {
        ec2: 'https://ec2.eu-west-1.amazonaws.com',
        ssm: 'https://ssm.eu-west-1.amazonaws.com',
        iam: 'https://iam.amazonaws.com',
      },
    },
    {
      name: "the profile's ignore_configured_endpoint_urls = true too",
      vars: { AWS_ENDPOINT_URL: 'http://all.test:1' },
      config: '[default]\nignore_configured_endpoint_urls = true\n',
      expected: { ec2: 'https://ec2.eu-west-1.amazonaws.com', sts: 'https://sts.eu-west-1.amazonaws.com' },
    },
  ])('$name', async ({ vars, config, expected }) => {
    environment(vars, config);
    for (const [service, url] of Object.entries(expected)) {
      expect(await destination(service as Service), service).toBe(url);
    }
  });

  it('lets an explicit endpoint (--endpoint-url) win over all of them', async () => {
    environment(
      { AWS_ENDPOINT_URL: 'http://all.test:1', AWS_ENDPOINT_URL_EC2: 'http://ec2.test:2' },
      '[default]\nendpoint_url = http://profile.test:8\n',
    );
    for (const service of SERVICES) {
      expect(await destination(service, { endpointUrl: 'http://flag.test:13' }), service).toBe(
        'http://flag.test:13',
      );
    }
  });
});

describe('a named profile (--profile)', () => {
  const config =
    '[default]\nendpoint_url = http://default.test:1\n' +
    '[profile audit]\nendpoint_url = http://audit.test:2\nservices = audit-local\n' +
    '[services audit-local]\nssm =\n  endpoint_url = http://audit-ssm.test:3\n';

  it("sends each service to that profile's endpoints, never the default profile's", async () => {
    environment({}, config);
    const seen = await withProfile('audit', async () => ({
      ec2: await destination('ec2', { profile: 'audit' }),
      ssm: await destination('ssm', { profile: 'audit' }),
      iam: await destination('iam', { profile: 'audit' }),
    }));
    expect(seen).toEqual({
      ec2: 'http://audit.test:2',
      ssm: 'http://audit-ssm.test:3',
      iam: 'http://audit.test:2',
    });
  });

  it('puts AWS_PROFILE back afterwards, and refuses a second, different profile meanwhile', async () => {
    environment({ AWS_PROFILE: 'outer' }, config);
    await withProfile('audit', async () => {
      expect(process.env.AWS_PROFILE).toBe('audit');
      await expect(withProfile('other', async () => 'ran')).rejects.toThrow(
        'a live scan under profile audit is running',
      );
    });
    expect(process.env.AWS_PROFILE).toBe('outer');
    await expect(withProfile('audit', () => Promise.reject(new Error('scan failed')))).rejects.toThrow(
      'scan failed',
    );
    expect(process.env.AWS_PROFILE).toBe('outer');
  });

  it('is refused by name when neither shared file has it', async () => {
    environment({}, config);
    await expect(assertProfileExists('audit')).resolves.toBeUndefined();
    await expect(assertProfileExists('nosuch')).rejects.toThrow(/^profile nosuch not found \(--profile\)/);
  });
});
