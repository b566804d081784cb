// What every part of the synthesiser shares: the ids the template declares, and the unknowns and locations it
// records while writing the responses.

import { isUnresolved, type Declared, type DeployModel, type DeployTag, type Maybe } from './deploy-model.js';
import { defaultSecurityGroupIdOf, mainRouteTableIdOf } from './implicit-ids.js';
import type { SourceLocation, UnknownValue } from './template-fleet.js';

/** The DeployModel collections a reference can point into. */
export type ReferencedCollection =
  | 'instances'
  | 'roles'
  | 'instanceProfiles'
  | 'managedPolicies'
  | 'securityGroups'
  | 'vpcs'
  | 'subnets'
  | 'routeTables'
  | 'vpcEndpoints'
  | 'natGateways'
  | 'internetGateways'
  | 'maintenanceWindows'
  | 'maintenanceWindowTargets';

/** The resource a value belongs to: its synthesised id, its DeployModel collection, where it is declared. */
export interface Site {
  resourceId: string;
  collection: string;
  location: SourceLocation;
}

/**
 * Records what the synthesised responses cannot say: each Unresolved value and each reference to something the
 * template does not declare becomes an UnknownValue; each declared resource gets its location.
 */
export class SynthesisContext {
  readonly unknowns: UnknownValue[] = [];
  readonly locations: Record<string, SourceLocation> = {};
  private readonly declared: Record<ReferencedCollection, ReadonlySet<string>>;
  private publicIps = 0;

  constructor(
    readonly model: DeployModel,
    readonly collectedAt: string,
  ) {
    this.declared = {
      instances: new Set(model.instances.map((r) => r.instanceId)),
      roles: new Set(model.roles.map((r) => r.arn)),
      instanceProfiles: new Set(model.instanceProfiles.map((r) => r.arn)),
      managedPolicies: new Set(model.managedPolicies.map((r) => r.arn)),
      // A VPC's default group and main route table are AWS's, but the template can name them
      // (Fn::GetAtt Vpc.DefaultSecurityGroup, aws_vpc.main_route_table_id).
      securityGroups: new Set([
        ...model.securityGroups.map((r) => r.groupId),
        ...model.vpcs.map((v) => defaultSecurityGroupIdOf(v.vpcId)),
      ]),
      vpcs: new Set(model.vpcs.map((r) => r.vpcId)),
      subnets: new Set(model.subnets.map((r) => r.subnetId)),
      routeTables: new Set([
        ...model.routeTables.map((r) => r.routeTableId),
        ...model.vpcs.map((v) => mainRouteTableIdOf(v.vpcId)),
      ]),
      vpcEndpoints: new Set(model.vpcEndpoints.map((r) => r.vpcEndpointId)),
      natGateways: new Set(model.natGateways.map((r) => r.natGatewayId)),
      internetGateways: new Set(model.internetGateways.map((r) => r.internetGatewayId)),
      maintenanceWindows: new Set(model.maintenanceWindows.map((r) => r.windowId)),
      maintenanceWindowTargets: new Set(model.maintenanceWindowTargets.map((r) => r.windowTargetId)),
    };
  }

  /**
   * A stand-in for a public IPv4 address AWS will assign (to an instance, a NAT gateway's Elastic IP): which one is
   * unknown before deploy, only that there will be one, which is what the path checks read. Taken from TEST-NET-3
   * (RFC 5737), which is never routed, so it cannot be mistaken for a real host.
   */
  placeholderPublicIp(): string {
    this.publicIps += 1;
    return `203.0.113.${this.publicIps % 254 || 254}`;
  }

  get accountId(): string {
    return this.model.accountId;
  }

  get region(): string {
    return this.model.region;
  }

  /** Registers a declared resource: its location, and an unknown when whether it is created at all is unknown. */
  declare(resource: Declared, resourceId: string, collection: string): Site {
    const site = { resourceId, collection, location: resource.location };
    this.locations[resourceId] = resource.location;
    if (resource.exists !== undefined) this.unknown(site, 'exists', resource.exists.reason);
    return site;
  }

  /** Registers something AWS creates implicitly (a VPC's main route table) at its owner's location. */
  implicit(resourceId: string, owner: Site): void {
    this.locations[resourceId] = owner.location;
  }

  isDeclared(collection: ReferencedCollection, id: string): boolean {
    return this.declared[collection].has(id);
  }

  unknown(site: Site, property: string, reason: string, location?: SourceLocation, outsideId?: string): void {
    this.unknowns.push({
      resourceId: site.resourceId,
      collection: site.collection,
      property,
      reason,
      location: location ?? site.location,
      ...(outsideId !== undefined && { outsideId }),
    });
  }

  /** The value when known; undefined (after recording why) when it is Unresolved, or when it is absent. */
  known<T>(
    value: Maybe<T> | undefined,
    site: Site,
    property: string,
    location?: SourceLocation,
  ): T | undefined {
    if (value === undefined) return undefined;
    if (isUnresolved(value)) {
      this.unknown(site, property, value.reason, location);
      return undefined;
    }
    return value;
  }

  /**
   * A reference to another resource. Unresolved → undefined (recorded). A literal id the template does not declare
   * is kept, since AWS would answer with it, but recorded as unknown: what it points at is not in the input.
   */
  reference(
    value: Maybe<string> | undefined,
    collection: ReferencedCollection,
    site: Site,
    property: string,
    location?: SourceLocation,
  ): string | undefined {
    const id = this.known(value, site, property, location);
    if (id !== undefined && !this.isDeclared(collection, id)) this.outside(id, site, property, location);
    return id;
  }

  /** Records a reference to something the input does not declare. */
  outside(id: string, site: Site, property: string, location?: SourceLocation): void {
    const input = this.model.kind === 'terraform' ? 'plan' : 'template';
    this.unknown(
      site,
      property,
      `'${id}' is not declared in the ${input}; give --context to resolve it`,
      location,
      id,
    );
  }

  /** A list that may itself be Unresolved, with members that may be: the known members, in order. */
  knownList<T>(
    list: Maybe<Maybe<T>[]> | undefined,
    site: Site,
    property: string,
    each?: (member: T, path: string) => void,
  ): T[] {
    const members = this.known(list, site, property) ?? [];
    const out: T[] = [];
    members.forEach((member, i) => {
      const value = this.known(member, site, `${property}[${i}]`);
      if (value === undefined) return;
      each?.(value, `${property}[${i}]`);
      out.push(value);
    });
    return out;
  }

  /** A list of references (security groups, subnets, role ARNs): the known ones, outside ones recorded. */
  referenceList(
    list: Maybe<Maybe<string>[]> | undefined,
    collection: ReferencedCollection,
    site: Site,
    property: string,
  ): string[] {
    return this.knownList(list, site, property, (id, path) => {
      if (!this.isDeclared(collection, id)) this.outside(id, site, path);
    });
  }

  /**
   * A policy document when wholly known; undefined when it, or any value inside it, is Unresolved (each recorded).
   * A statement with one unknown value cannot be judged by parts: an unknown Resource of a Deny could be anything.
   */
  document(value: Maybe<unknown> | undefined, site: Site, property: string): unknown {
    const unknowns = unresolvedInside(value, property);
    for (const { path, reason } of unknowns) this.unknown(site, path, reason);
    return unknowns.length > 0 ? undefined : value;
  }

  /** Tags as EC2 and IAM print them; a tag whose value is unknown is left out (and recorded). */
  tags(tags: readonly DeployTag[], site: Site): { Key: string; Value: string }[] {
    const out: { Key: string; Value: string }[] = [];
    tags.forEach((tag, i) => {
      const value = this.known(tag.Value, site, `tags[${i}].Value`);
      if (value !== undefined) out.push({ Key: tag.Key, Value: value });
    });
    return out;
  }
}

/**
 * Stands for a policy document that is unknown before deploy: not JSON, so the mappers keep it as a document that
 * does not parse, and every rule that needs it gives ERROR (never a verdict from a made-up document).
 */
export const UNKNOWN_DOCUMENT = 'unknown until deployed';

/**
 * The Unresolved values inside a JSON value (a policy document's statements), with their paths below `base`
 * ("inlinePolicies[0].document.Statement[1].Resource").
 */
export function unresolvedInside(value: unknown, base: string): { path: string; reason: string }[] {
  if (isUnresolved(value)) return [{ path: base, reason: value.reason }];
  if (Array.isArray(value)) return value.flatMap((member, i) => unresolvedInside(member, `${base}[${i}]`));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([key, member]) => unresolvedInside(member, `${base}.${key}`));
  return [];
}
