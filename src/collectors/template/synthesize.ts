// Turns a DeployModel into a TemplateFleet: the AWS API responses its resources would answer with once deployed,
// for one account and region, with where each resource is declared and what cannot be known before deploy.

import type { CollectedRegionData } from '../api/api-data.js';
import type { DeployModel } from './deploy-model.js';
import { SynthesisContext } from './synthesis-context.js';
import { describeVpcEndpoints } from './synthesize-endpoints.js';
import { describeInternetGateways, describeNatGateways } from './synthesize-gateways.js';
import { getAccountAuthorizationDetails } from './synthesize-iam.js';
import { describeInstances } from './synthesize-instances.js';
import { maintenanceWindowResponses } from './synthesize-maintenance-windows.js';
import { describeNetworkAcls } from './synthesize-network-acls.js';
import { dhmcSetting, patchingResponses } from './synthesize-patching.js';
import { describeRouteTables } from './synthesize-route-tables.js';
import { describeSecurityGroups } from './synthesize-security-groups.js';
import {
  describeSubnets,
  describeVpcAttributes,
  describeVpcs,
  subnetFacts,
  vpcFacts,
} from './synthesize-vpcs.js';
import type { TemplateFleet } from './template-fleet.js';

/**
 * Synthesises the responses of every regional kind except those only a running fleet has (instance information,
 * activations, patch states, window run history; the DHMC setting unless the model declares it), so the rules
 * that need those give ERROR. `collectedAt` dates the responses (and is the fleet's evaluation time).
 */
export function synthesizeFleet(model: DeployModel, collectedAt: string): TemplateFleet {
  const ctx = new SynthesisContext(model, collectedAt);
  const region = synthesizeRegion(ctx);
  const iam = getAccountAuthorizationDetails(ctx);
  return {
    kind: model.kind,
    inputs: [...model.inputs],
    fleet: {
      accounts: [
        { accountId: model.accountId, GetAccountAuthorizationDetails: iam, failures: [], regions: [region] },
      ],
      collectedAt,
    },
    locations: ctx.locations,
    unknowns: ctx.unknowns,
    warnings: model.notes.map(
      (note) => `${note.location.file}:${note.location.line}: ${note.address}: ${note.message}`,
    ),
  };
}

function synthesizeRegion(ctx: SynthesisContext): CollectedRegionData {
  const vpcs = vpcFacts(ctx);
  const subnets = subnetFacts(ctx);
  const groups = describeSecurityGroups(ctx, vpcs);
  const endpoints = describeVpcEndpoints(ctx, vpcs, groups.groupNames);
  const region: CollectedRegionData = {
    accountId: ctx.accountId,
    region: ctx.region,
    failures: [],
    DescribeVpcs: describeVpcs(ctx, vpcs),
    DescribeVpcAttribute: describeVpcAttributes(ctx, vpcs),
    DescribeSubnets: describeSubnets(ctx, subnets),
    DescribeSecurityGroups: groups.response,
    DescribeVpcEndpoints: endpoints.response,
    DescribeRouteTables: describeRouteTables(ctx, vpcs, subnets, endpoints.gatewayRoutes),
    DescribeNetworkAcls: describeNetworkAcls(ctx, vpcs, subnets),
    DescribeNatGateways: describeNatGateways(ctx, subnets),
    ...describeInternetGateways(ctx),
    DescribeInstances: describeInstances(ctx, { vpcs, subnets, groupNames: groups.groupNames }),
    ...maintenanceWindowResponses(ctx),
    ...patchingResponses(ctx),
  };
  const dhmc = dhmcSetting(ctx);
  if (dhmc !== undefined) region.GetServiceSetting = dhmc;
  return region;
}
