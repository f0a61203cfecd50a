import { describe, expect, it } from 'vitest';
import { recipeReason } from './suggest';

describe('recipe suggestion', () => {
  it.each([
    [180, 4e6, 'fits', null],
    [20_000, 4e6, 'fits', null],
    [20_001, 4e6, 'fits', '20,001 training rows'],
    [180, 4e6, 'tight', 'a tight memory estimate for this device'],
    [180, 4e6, 'wont-fit', "a model that won't fit this device"],
    [180, 494e6, 'fits', '494M parameters'],
    [180, 110e6, null, null],
  ] as const)('%d rows, %d parameters, %s -> %s', (rows, params, verdict, want) => {
    expect(recipeReason(rows, params, verdict)).toBe(want);
  });
});
