// Locale-independent string order: sorted output must be the same on every machine, whatever its LANG.

/** Orders strings by UTF-16 code units (`localeCompare` would follow the machine's locale). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
