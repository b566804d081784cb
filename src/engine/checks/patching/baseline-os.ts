// Which patch-baseline operating system (the OperatingSystem of a baseline) a managed node is, from what SSM reports.

import type { Ec2Instance, ManagedNode } from '../../../inventory/model.js';

/**
 * The OperatingSystem values a patch baseline takes (CreatePatchBaseline, GetDefaultPatchBaseline):
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreatePatchBaseline.html
 */
export const BASELINE_OPERATING_SYSTEMS = [
  'WINDOWS',
  'AMAZON_LINUX',
  'AMAZON_LINUX_2',
  'AMAZON_LINUX_2022',
  'AMAZON_LINUX_2023',
  'UBUNTU',
  'REDHAT_ENTERPRISE_LINUX',
  'SUSE',
  'CENTOS',
  'ORACLE_LINUX',
  'DEBIAN',
  'MACOS',
  'RASPBIAN',
  'ROCKY_LINUX',
  'ALMA_LINUX',
] as const;

export type BaselineOs = (typeof BASELINE_OPERATING_SYSTEMS)[number];

// PlatformName prefixes (lower case) of the Linux distributions, longest first where one is a prefix of another.
// AWS documents no list of PlatformName values; these are the names the agent reports from /etc/os-release.
const LINUX_NAMES: readonly (readonly [string, BaselineOs])[] = [
  ['ubuntu', 'UBUNTU'],
  ['red hat enterprise linux', 'REDHAT_ENTERPRISE_LINUX'],
  ['centos', 'CENTOS'],
  ['sles', 'SUSE'],
  ['suse', 'SUSE'],
  ['oracle linux', 'ORACLE_LINUX'],
  ['debian', 'DEBIAN'],
  ['raspbian', 'RASPBIAN'],
  ['rocky linux', 'ROCKY_LINUX'],
  ['almalinux', 'ALMA_LINUX'],
];

/**
 * The baseline OS of a managed node, or undefined when what SSM reports does not say it (an unknown distribution,
 * or Amazon Linux without a version that tells 2 from 2023): Patch Manager picks the baseline by this OS, so a
 * guess would judge the wrong baseline.
 */
export function baselineOsOf(instance: Ec2Instance, node: ManagedNode): BaselineOs | undefined {
  const type = node.platformType?.toLowerCase();
  if (type === 'windows' || (type === undefined && instance.platform === 'windows')) return 'WINDOWS';
  if (type === 'macos') return 'MACOS';
  const name = node.platformName?.toLowerCase().trim();
  if (name === undefined) return undefined;
  if (name.startsWith('amazon linux')) return amazonLinux(name, node.platformVersion);
  return LINUX_NAMES.find(([prefix]) => name.startsWith(prefix))?.[1];
}

/** Amazon Linux 2023 reports "2023" (or "2023.x"), Amazon Linux 2 "2", Amazon Linux 1 a dated version (2018.03). */
function amazonLinux(name: string, version: string | undefined): BaselineOs | undefined {
  if (name.startsWith('amazon linux ami')) return 'AMAZON_LINUX';
  if (version === undefined) return undefined;
  if (version === '2023' || version.startsWith('2023.')) return 'AMAZON_LINUX_2023';
  if (version === '2022' || version.startsWith('2022.')) return 'AMAZON_LINUX_2022';
  if (version === '2') return 'AMAZON_LINUX_2';
  if (/^20(1\d)\.\d\d$/.test(version)) return 'AMAZON_LINUX';
  return undefined;
}
