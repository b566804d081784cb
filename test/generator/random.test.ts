import { describe, expect, it } from 'vitest';
import { Random } from '../../src/generator/random.js';

describe('Random.detour', () => {
  it('leaves the main sequence where it was, and draws the detour from its own seed', () => {
    // Prepare
    const plain = new Random(7);
    const detoured = new Random(7);
    plain.hex(8);
    detoured.hex(8);
    // Act
    const inside = detoured.detour(99, () => detoured.hex(16));
    // Assess: the main sequence continues as if the detour never happened, and the detour's ids are its seed's.
    expect(detoured.hex(16)).toBe(plain.hex(16));
    expect(inside).toBe(new Random(99).hex(16));
    expect(inside).not.toBe(new Random(7).hex(16));
  });

  it('restores the main sequence when the detour throws', () => {
    const plain = new Random(3);
    const detoured = new Random(3);
    expect(() =>
      detoured.detour(5, () => {
        detoured.next();
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(detoured.next()).toBe(plain.next());
  });
});
