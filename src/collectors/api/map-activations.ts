// Maps an SSM DescribeActivations response into Activation models.

import type { Activation } from '../../inventory/model.js';
import { MappingContext, type MapResult, type PartialScope } from './mapping-context.js';

/** Maps DescribeActivations (hybrid activations: role, registration limit and count, expiry). */
export function mapActivations(body: unknown, scope: PartialScope, origin: string): MapResult<Activation> {
  const ctx = new MappingContext(origin, scope);
  const list = ctx.responseList(body, 'ActivationList');
  if (list === undefined) return ctx.result([], false);
  const items: Activation[] = [];
  for (let a = 0; a < list.length; a++) {
    const path = `ActivationList[${a}]`;
    const o = list[a];
    if (!ctx.entry(o, path)) continue;
    const activationId = ctx.requiredString(o.ActivationId, 'ActivationId', path);
    if (activationId === undefined) continue;
    const { accountId, region } = ctx.scope(undefined, undefined);
    const activation: Activation = {
      accountId,
      region,
      activationId,
      registrationLimit: ctx.number(o.RegistrationLimit, 'RegistrationLimit', path) ?? 1,
      registrationsCount: ctx.number(o.RegistrationsCount, 'RegistrationsCount', path) ?? 0,
      expired: ctx.boolean(o.Expired, 'Expired', path) ?? false,
    };
    const description = ctx.string(o.Description, 'Description', path);
    if (description !== undefined) activation.description = description;
    const defaultName = ctx.string(o.DefaultInstanceName, 'DefaultInstanceName', path);
    if (defaultName !== undefined) activation.defaultInstanceName = defaultName;
    const iamRole = ctx.string(o.IamRole, 'IamRole', path);
    if (iamRole !== undefined) activation.iamRole = iamRole;
    const expiration = ctx.timestamp(o.ExpirationDate, 'ExpirationDate', path);
    if (expiration !== undefined) activation.expirationDate = expiration;
    const created = ctx.timestamp(o.CreatedDate, 'CreatedDate', path);
    if (created !== undefined) activation.createdDate = created;
    items.push(activation);
  }
  return ctx.result(items);
}
