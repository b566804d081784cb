// The Lambda's structured log: EMF declares only numeric members, failures log at ERROR, and each invocation's
// API calls are on its summary line.

import { describe, expect, it } from 'vitest';
import { StructuredLog, METRIC_NAMES } from '../../src/lambda/structured-log.js';
import { buildExampleFleet, EXAMPLE_FLEET_FACTS as F } from '../../src/generator/example-fleet.js';
import { handleConfigEvent } from '../../src/lambda/handle-config-event.js';
import { fleetToConfigItems } from '../collectors/config/fleet-to-config-items.js';
import { changeEvent, shippedEmbeddedRules, startLambdaWorld } from './lambda-test-kit.js';

type Line = Record<string, unknown> & {
  _aws?: { CloudWatchMetrics: { Metrics: { Name: string }[]; Dimensions: string[][] }[] };
};

function capture(): { lines: Line[]; log: StructuredLog } {
  const lines: Line[] = [];
  const log = new StructuredLog(
    (line) => lines.push(JSON.parse(line) as Line),
    {},
    () => 0,
  );
  return { lines, log };
}

describe('the EMF summary line', () => {
  it('declares only numeric root members as metrics, whatever else the summary carries', () => {
    // Prepare: a handler summary carries strings (rule name, message type) beside the counts.
    const { lines, log } = capture();
    const summary = {
      configRuleName: 'ssmguard-x',
      messageType: 'ScheduledNotification',
      ruleId: 'x',
      servicesRead: ['ec2'],
      Evaluations: 3,
      EvaluationErrors: 1,
      StaleResources: 0,
      InvocationFailures: 0,
    };

    // Act
    log.with({ configRuleName: 'ssmguard-x' }).metrics('evaluated', summary);

    // Assess: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
    // — each MetricDefinition's Name must reference a root member whose value is a number.
    const [line] = lines;
    const declared = line!._aws!.CloudWatchMetrics[0]!.Metrics.map((m) => m.Name);
    expect(declared).toEqual([...METRIC_NAMES]);
    for (const name of declared) expect(typeof line![name], name).toBe('number');
    for (const dimension of line!._aws!.CloudWatchMetrics[0]!.Dimensions.flat())
      expect(typeof line![dimension], dimension).toBe('string');
  });

  it('writes a failure summary at ERROR level', () => {
    const { lines, log } = capture();
    log.metrics(
      'invocation failed',
      { Evaluations: 0, EvaluationErrors: 0, StaleResources: 0, InvocationFailures: 1 },
      { code: 'X' },
      'ERROR',
    );
    expect(lines[0]).toMatchObject({ level: 'ERROR', InvocationFailures: 1, code: 'X' });
  });
});

describe('per-invocation API calls', () => {
  it('counts exactly the calls one invocation made, PutEvaluations included', async () => {
    // Prepare
    const fleet = buildExampleFleet();
    const items = fleetToConfigItems(fleet);
    const world = await startLambdaWorld(fleet, items);
    const rules = await shippedEmbeddedRules();
    const item = items.find((i) => i.resourceId === F.healthyWebInstanceIds[0])!;
    const event = changeEvent(item, {
      accountId: F.accountId,
      region: F.region,
      ruleId: 'ec2-instance-egress-https',
    });
    try {
      // Act: two invocations on the same (warm) clients.
      const deps = world.deps(rules);
      await handleConfigEvent(event, deps);
      const before = new Map(world.endpoint.counts);
      const second = await handleConfigEvent(event, deps);

      // Assess: the second invocation's own calls, as the endpoint saw them.
      const seen: Record<string, number> = {};
      for (const [operation, count] of world.endpoint.counts) {
        const made = count - (before.get(operation) ?? 0);
        if (made > 0) seen[operation] = made;
      }
      expect(second.apiCalls).toEqual(seen);
      expect(second.apiCalls['config:PutEvaluations']).toBe(1);
    } finally {
      await world.stop();
    }
  });
});
