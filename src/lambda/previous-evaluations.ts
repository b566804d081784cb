// Lists the resources a Config rule has judged before, for the periodic clean-up of resources that are gone.

import {
  paginateGetComplianceDetailsByConfigRule,
  type ConfigServiceClient,
} from '@aws-sdk/client-config-service';

/** A resource with a standing verdict of the rule. */
export interface EvaluatedResource {
  resourceType: string;
  resourceId: string;
}

/**
 * The resources with a COMPLIANT or NON_COMPLIANT verdict from this rule. Resources already NOT_APPLICABLE
 * need nothing more; INSUFFICIENT_DATA cannot be filtered on for rules. Pages of 100 (the API maximum).
 * https://docs.aws.amazon.com/config/latest/APIReference/API_GetComplianceDetailsByConfigRule.html
 */
export async function listEvaluatedResources(
  client: ConfigServiceClient,
  configRuleName: string,
): Promise<EvaluatedResource[]> {
  const out: EvaluatedResource[] = [];
  const pages = paginateGetComplianceDetailsByConfigRule(
    { client, pageSize: 100 },
    { ConfigRuleName: configRuleName, ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT'] },
  );
  for await (const page of pages) {
    for (const result of page.EvaluationResults ?? []) {
      const qualifier = result.EvaluationResultIdentifier?.EvaluationResultQualifier;
      if (qualifier?.ResourceType !== undefined && qualifier.ResourceId !== undefined) {
        out.push({ resourceType: qualifier.ResourceType, resourceId: qualifier.ResourceId });
      }
    }
  }
  return out;
}
