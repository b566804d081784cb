import { describe, expect, it } from 'vitest';
import schema from '../../schemas/inventory.schema.json' with { type: 'json' };
import { RESOURCE_FAMILIES } from '../../src/inventory/model.js';
import type { Inventory } from '../../src/inventory/model.js';
import {
  InventoryInvalidError,
  parseInventory,
  validateInventory,
  validateResource,
} from '../../src/inventory/validate-inventory.js';
import { buildSampleInventory } from '../fixtures/inventory/sample-inventory.js';

/** The sample as it comes back from JSON: plain objects, normal prototypes. */
function sampleAsJson(): Record<string, unknown> {
  return JSON.parse(JSON.stringify(buildSampleInventory())) as Record<string, unknown>;
}

/** The sample as JSON with one change applied. */
function sampleWith(change: (inventory: Inventory) => void): unknown {
  const value = sampleAsJson() as unknown as Inventory;
  change(value);
  return value;
}

describe('inventory schema', () => {
  it('has a $def for every model interface that represents a resource or a part rules address', () => {
    // Every interface exported from src/inventory/model.ts, except Scope (inlined into each resource) and
    // PolicyStatement (statements are left to the IAM evaluator), plus the type aliases with a shape of their own.
    const modelTypes = [
      'Organization',
      'Ec2Instance',
      'MetadataOptions',
      'NetworkInterface',
      'IamRole',
      'InlinePolicy',
      'AttachedPolicyRef',
      'InstanceProfile',
      'ManagedPolicy',
      'PolicyDocument',
      'MaybePolicyDocument',
      'SecurityGroup',
      'SecurityGroupRule',
      'Vpc',
      'Subnet',
      'RouteTable',
      'Route',
      'RouteTarget',
      'NetworkAcl',
      'NetworkAclEntry',
      'VpcEndpoint',
      'NatGateway',
      'GatewayAttachment',
      'InternetGateway',
      'EgressOnlyInternetGateway',
      'ManagedNode',
      'Activation',
      'MaintenanceWindow',
      'MaintenanceWindowTarget',
      'MaintenanceWindowTask',
      'MaintenanceWindowTaskDetail',
      'MaintenanceWindowExecution',
      'MaintenanceWindowExecutionTask',
      'MaintenanceWindowExecutionTaskInvocation',
      'Target',
      'PatchGroupMapping',
      'PatchBaselineIdentity',
      'PatchBaselineDetail',
      'PatchApprovalRule',
      'InstancePatchState',
      'DhmcSetting',
      'ServiceControlPolicy',
      'FamilyCoverage',
      'SourceMetadata',
      'Tags',
    ];
    expect(Object.keys(schema.$defs).sort()).toEqual([...modelTypes].sort());
  });

  it('requires every inventory collection and nothing else at the top level', () => {
    const collections = Object.keys(buildSampleInventory()).sort();
    // Optional at the top level: the organization tree, present only when one was read (older exports lack it).
    const optional = ['organizations'];
    expect([...schema.required].sort()).toEqual(collections);
    expect(Object.keys(schema.properties).sort()).toEqual([...collections, ...optional].sort());
  });

  it('lists exactly the resource families of the model', () => {
    expect(schema.$defs.FamilyCoverage.properties.family.enum).toEqual([...RESOURCE_FAMILIES]);
  });

  it('documents every field of every definition', () => {
    const undocumented: string[] = [];
    for (const [name, def] of Object.entries(schema.$defs) as [
      string,
      { properties?: Record<string, object> },
    ][]) {
      for (const [field, fieldSchema] of Object.entries(def.properties ?? {})) {
        if (!('description' in fieldSchema)) undocumented.push(`${name}.${field}`);
      }
    }
    expect(undocumented).toEqual([]);
  });
});

describe('validateInventory', () => {
  it('accepts the sample fleet, which uses every type', () => {
    expect(validateInventory(sampleAsJson())).toEqual([]);
    expect(validateInventory(buildSampleInventory())).toEqual([]);
  });

  it('reports a value that is not an object at the root', () => {
    expect(validateInventory(null)).toEqual([{ path: '', message: 'must be object, got null' }]);
  });

  it('reports an unknown field with its path and the known fields', () => {
    const issues = validateInventory(sampleWith((i) => Object.assign(i.instances[0]!, { colour: 'blue' })));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe('/instances/0/colour');
    expect(issues[0]!.message).toMatch(/^unknown field \(known fields: accountId, region, instanceId, /);
  });

  it('reports an unknown top-level field', () => {
    const issues = validateInventory(sampleWith((i) => Object.assign(i, { ssmguardBundle: 1 })));
    expect(issues.map((issue) => issue.path)).toEqual(['/ssmguardBundle']);
  });

  it('reports a missing required field at the field path', () => {
    const issues = validateInventory(
      sampleWith((i) => delete (i.subnets[0] as unknown as Record<string, unknown>).vpcId),
    );
    expect(issues).toEqual([{ path: '/subnets/0/vpcId', message: 'is required' }]);
  });

  it.for([
    {
      name: 'a string where a boolean belongs',
      change: (i: Inventory) => Object.assign(i.vpcs[0]!, { isDefault: 'false' }),
      path: '/vpcs/0/isDefault',
      message: 'must be boolean, got string "false"',
    },
    {
      name: 'a value outside a closed union',
      change: (i: Inventory) => Object.assign(i.instances[1]!, { platform: 'macos' }),
      path: '/instances/1/platform',
      message: 'must be one of "windows", "linux", got string "macos"',
    },
    {
      name: 'a non-string tag value',
      change: (i: Inventory) => Object.assign(i.instances[0]!.tags, { Cost: 12 }),
      path: '/instances/0/tags/Cost',
      message: 'must be string, got number 12',
    },
    {
      name: 'a fractional port',
      change: (i: Inventory) => Object.assign(i.securityGroups[0]!.egress[0]!, { toPort: 443.5 }),
      path: '/securityGroups/0/egress/0/toPort',
      message: 'must be integer, got number 443.5',
    },
    {
      name: 'an empty identifier',
      change: (i: Inventory) => Object.assign(i.instances[0]!, { instanceId: '' }),
      path: '/instances/0/instanceId',
      message: 'must not be empty',
    },
    {
      name: 'an unsupported schemaVersion',
      change: (i: Inventory) => Object.assign(i, { schemaVersion: 2 }),
      path: '/schemaVersion',
      message: 'must be one of 1, got number 2',
    },
    {
      name: 'a coverage error without its message',
      change: (i: Inventory) =>
        Object.assign(i.coverage[0]!, { status: 'error', error: { code: 'AccessDenied' } }),
      path: '/coverage/0/error/message',
      message: 'is required',
    },
  ])('reports $name', ({ change, path, message }) => {
    expect(validateInventory(sampleWith(change))).toEqual([{ path, message }]);
  });

  it('explains a route target by the branch its kind selects', () => {
    const issues = validateInventory(
      sampleWith((i) => {
        i.routeTables[0]!.routes[1]!.target = { kind: 'nat-gateway' } as never;
      }),
    );
    expect(issues).toEqual([{ path: '/routeTables/0/routes/1/target/id', message: 'is required' }]);
  });

  it('lists the allowed kinds for an unknown route target kind', () => {
    const issues = validateInventory(
      sampleWith((i) => {
        i.routeTables[0]!.routes[1]!.target = { kind: 'carrier-gateway', id: 'cagw-1' } as never;
      }),
    );
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe('/routeTables/0/routes/1/target/kind');
    expect(issues[0]!.message).toMatch(
      /^must be one of "local", "internet-gateway", .*got string "carrier-gateway"$/,
    );
  });

  it('explains a broken policy document inside the branch it was meant for', () => {
    const issues = validateInventory(
      sampleWith((i) => {
        i.roles[0]!.trustPolicy = { document: { Statement: [1] } } as never;
        i.managedPolicies[1]!.defaultVersion = { parseError: 'bad' } as never;
        i.serviceControlPolicies[0]!.policy = { document: { Statement: 'Allow' } } as never;
      }),
    );
    expect(issues).toEqual([
      { path: '/roles/0/trustPolicy/document/Statement/0', message: 'must be object, got number 1' },
      { path: '/managedPolicies/1/defaultVersion/raw', message: 'is required' },
      {
        path: '/serviceControlPolicies/0/policy/document/Statement',
        message: 'must be array or object, got string "Allow"',
      },
    ]);
  });

  it('reports a policy document without Statement', () => {
    const issues = validateInventory(
      sampleWith((i) => {
        i.vpcEndpoints[3]!.policy = { document: { Version: '2012-10-17' } } as never;
      }),
    );
    expect(issues).toEqual([{ path: '/vpcEndpoints/3/policy/document/Statement', message: 'is required' }]);
  });

  it('escapes JSON pointer characters in field names', () => {
    const issues = validateInventory(sampleWith((i) => Object.assign(i.vpcs[0]!, { 'a/b~c': 1 })));
    expect(issues.map((issue) => issue.path)).toEqual(['/vpcs/0/a~1b~0c']);
  });

  it('reports every problem, not only the first', () => {
    const issues = validateInventory(
      sampleWith((i) => {
        for (const instance of i.instances) Object.assign(instance, { state: 'sleeping' });
      }),
    );
    expect(issues.map((issue) => issue.path)).toEqual([0, 1, 2, 3].map((n) => `/instances/${n}/state`));
  });
});

describe('validateResource', () => {
  it('checks one resource against its definition', () => {
    const instance = buildSampleInventory().instances[0]!;
    expect(validateResource('Ec2Instance', instance)).toEqual([]);
    expect(validateResource('Ec2Instance', { ...instance, state: 'gone' })).toEqual([
      { path: '/state', message: expect.stringMatching(/^must be one of "pending", /) as string },
    ]);
  });

  it('throws for a definition the schema does not have', () => {
    expect(() => validateResource('Ec2Instances', {})).toThrow(/no \$defs entry "Ec2Instances"/);
  });
});

describe('parseInventory', () => {
  it('returns the inventory, unchanged in content, without modifying its input', () => {
    // Prepare
    const input = sampleAsJson();
    const before = JSON.stringify(input);

    // Act
    const inventory = parseInventory(input, 'sample.json');

    // Assess
    expect(inventory).toEqual(buildSampleInventory());
    expect(JSON.stringify(input)).toBe(before);
    expect(Object.getPrototypeOf((input.instances as { tags: object }[])[0]!.tags)).toBe(Object.prototype);
  });

  it('rebuilds every tags record with a null prototype', () => {
    const inventory = parseInventory(sampleAsJson(), 'sample.json');
    const tagged = [
      ...inventory.instances,
      ...inventory.roles,
      ...inventory.securityGroups,
      ...inventory.vpcs,
      ...inventory.subnets,
    ];
    expect(tagged.length).toBeGreaterThan(0);
    for (const resource of tagged) expect(Object.getPrototypeOf(resource.tags)).toBeNull();
  });

  it('keeps hostile tag keys as plain data', () => {
    // Prepare
    const input = sampleAsJson() as unknown as { instances: { tags: unknown }[] };
    input.instances[0]!.tags = JSON.parse('{"__proto__":{"polluted":"yes"},"constructor":"x"}') as unknown;
    input.instances[1]!.tags = JSON.parse('{"__proto__":"evil","constructor":"x","toString":"y"}') as unknown;

    // Act
    const issues = validateInventory(input);
    const inventory = parseInventory(
      Object.assign(input, { instances: input.instances.slice(1) }) as unknown,
      'hostile.json',
    );

    // Assess
    expect(issues).toEqual([
      { path: '/instances/0/tags/__proto__', message: 'must be string, got an object' },
    ]);
    const tags = inventory.instances[0]!.tags;
    expect(Object.getPrototypeOf(tags)).toBeNull();
    expect(Object.keys(tags).sort()).toEqual(['__proto__', 'constructor', 'toString']);
    expect(tags['__proto__']).toBe('evil');
    expect(tags['constructor']).toBe('x');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).constructor).toBe(Object);
  });

  it('throws InventoryInvalidError naming the origin and the first few issues', () => {
    // Prepare
    const input = sampleWith((i) => {
      for (const sg of i.securityGroups) Object.assign(sg, { groupId: 7, ingress: null });
    });

    // Act
    let caught: unknown;
    try {
      parseInventory(input, 'exports/prod.json');
    } catch (error) {
      caught = error;
    }

    // Assess
    expect(caught).toBeInstanceOf(InventoryInvalidError);
    const error = caught as InventoryInvalidError;
    expect(error.code).toBe('INVENTORY_INVALID');
    expect(error.name).toBe('InventoryInvalidError');
    expect(error.origin).toBe('exports/prod.json');
    expect(error.issues).toHaveLength(6);
    expect(error.message).toBe(
      [
        'exports/prod.json is not a valid ssmguard inventory:',
        '  /securityGroups/0/groupId: must be string, got number 7',
        '  /securityGroups/0/ingress: must be array, got null',
        '  /securityGroups/1/groupId: must be string, got number 7',
        '  /securityGroups/1/ingress: must be array, got null',
        '  /securityGroups/2/groupId: must be string, got number 7',
        '  … and 1 more',
      ].join('\n'),
    );
  });
});
