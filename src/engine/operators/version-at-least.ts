// `versionAtLeast: "3.2.582.0"`: a dotted numeric version (SSM Agent versions) is at least the given one.
import { isString, type Operator } from './operator.js';

function parts(version: string): number[] | undefined {
  if (!/^\d+(\.\d+)*$/.test(version)) return undefined;
  return version.split('.').map(Number);
}

export function compareVersions(a: string, b: string): number | undefined {
  const pa = parts(a);
  const pb = parts(b);
  if (!pa || !pb) return undefined;
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

export const versionAtLeast: Operator = {
  name: 'versionAtLeast',
  checkOperand: (v) => (isString(v) && parts(v) ? undefined : 'expects a dotted version such as "3.2.582.0"'),
  test: (actual, operand) => {
    if (!isString(actual) || !isString(operand)) return false;
    const c = compareVersions(actual, operand);
    return c !== undefined && c >= 0;
  },
};
