// IpAddress and NotIpAddress: an address inside an IPv4 or IPv6 CIDR (aws:SourceIp, aws:VpcSourceIp, aws:Ec2InstanceSourcePrivateIPv4).

import type { ConditionOperator } from './condition-operator.js';

/** An address block; `bits` is 32 or 128. A plain address is a block of one. */
export interface IpBlock {
  bits: 32 | 128;
  base: bigint;
  prefix: number;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(Number(part));
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  let head = text;
  let tailV4: bigint | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    tailV4 = parseIpv4(text.slice(lastColon + 1));
    if (tailV4 === undefined) return undefined;
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string) => (half === '' ? [] : half.split(':'));
  const left = groups(halves[0]!);
  const right = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
  let value = 0n;
  for (const group of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    value = (value << 16n) | BigInt(parseInt(group, 16));
  }
  if (tailV4 !== undefined) value = (value & ~0xffffffffn) | tailV4;
  return value;
}

/** Parses `10.0.0.0/8`, `203.0.113.7`, `2001:db8::/32` or `2001:db8::1`; undefined for anything else. */
export function parseIpBlock(text: string): IpBlock | undefined {
  const [address, prefixText, extra] = text.trim().split('/');
  if (address === undefined || extra !== undefined) return undefined;
  const v4 = address.includes(':') ? undefined : parseIpv4(address);
  const v6 = address.includes(':') ? parseIpv6(address) : undefined;
  const bits = v4 !== undefined ? 32 : 128;
  const value = v4 ?? v6;
  if (value === undefined) return undefined;
  const prefix = prefixText === undefined ? bits : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= bits)) return undefined;
  const mask = prefix === 0 ? 0n : ((1n << BigInt(prefix)) - 1n) << BigInt(bits - prefix);
  return { bits, base: value & mask, prefix };
}

/** True when `inner` lies inside `outer` (same family). */
export function ipBlockContains(outer: IpBlock, inner: IpBlock): boolean {
  if (outer.bits !== inner.bits || inner.prefix < outer.prefix) return false;
  const shift = BigInt(outer.bits - outer.prefix);
  return outer.prefix === 0 || inner.base >> shift === outer.base >> shift;
}

const inBlock = (policyValue: string) => {
  const block = parseIpBlock(policyValue);
  if (block === undefined) return undefined;
  return (contextValue: string) => {
    const address = parseIpBlock(contextValue);
    return address !== undefined && ipBlockContains(block, address);
  };
};

export const IP_ADDRESS_OPERATORS: readonly ConditionOperator[] = [
  { name: 'IpAddress', negated: false, variables: false, prepare: inBlock },
  { name: 'NotIpAddress', negated: true, variables: false, prepare: inBlock },
];
