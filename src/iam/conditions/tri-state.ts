// Three-valued logic for conditions whose context key may be unknown: true, false, or "maybe".

/** `unknown` means the answer hinges on a context value no inventory holds. */
export type Tri = true | false | 'unknown';

/** Kleene AND: false wins, then unknown. */
export function triAnd(values: Iterable<Tri>): Tri {
  let result: Tri = true;
  for (const value of values) {
    if (value === false) return false;
    if (value === 'unknown') result = 'unknown';
  }
  return result;
}

/** Kleene OR: true wins, then unknown. */
export function triOr(values: Iterable<Tri>): Tri {
  let result: Tri = false;
  for (const value of values) {
    if (value === true) return true;
    if (value === 'unknown') result = 'unknown';
  }
  return result;
}

export function triNot(value: Tri): Tri {
  return value === 'unknown' ? 'unknown' : !value;
}
