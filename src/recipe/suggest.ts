// When the studio suggests the Python recipe instead of (or besides) training in the tab (issue 14). Pure.

/** A tab trains about 10k short rows per epoch in minutes; past these sizes a GPU machine is the better place. */
export const RECIPE_ROWS = 20_000;
export const RECIPE_PARAMS = 150e6;

export type FitVerdict = 'fits' | 'tight' | 'wont-fit';

/** Why the recipe is suggested, in words, or null when the browser is fine. */
export function recipeReason(trainRows: number, parameters: number, verdict: FitVerdict | null): string | null {
  if (trainRows > RECIPE_ROWS) return `${trainRows.toLocaleString('en-US')} training rows`;
  if (verdict === 'wont-fit') return "a model that won't fit this device";
  if (verdict === 'tight') return 'a tight memory estimate for this device';
  if (parameters > RECIPE_PARAMS) return `${(parameters / 1e6).toFixed(0)}M parameters`;
  return null;
}
