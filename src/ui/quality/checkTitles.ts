// Plain titles for the audit's check ids (the worker's findings carry the id and the explanation).
export const CHECK_TITLES: Record<string, string> = {
  no_text_column: 'No text column',
  no_label_column: 'No label column',
  too_few_rows: 'Distinct rows',
  single_label: 'Only one label',
  too_many_labels: 'Too many labels',
  rare_labels: 'Rare labels',
  label_imbalance: 'Label imbalance',
  label_variants: 'Labels that differ only in form',
  empty_text: 'Empty texts',
  whitespace_only_text: 'Whitespace-only texts',
  missing_label: 'Missing labels',
  exact_duplicates: 'Exact duplicates',
  normalized_duplicates: 'Near duplicates (normalized)',
  fuzzy_duplicates: 'Fuzzy near duplicates (MinHash)',
  conflicting_labels: 'Conflicting labels',
  too_long: 'Longer than max tokens',
  too_short: 'Very short texts',
  whitespace_edges: 'Leading/trailing spaces',
  control_chars: 'Control characters',
  mojibake: 'Mojibake',
  html_entities: 'HTML entities',
  replacement_chars: 'Replacement characters',
  leak_exact: 'Exact copies across splits',
  leak_normalized: 'Normalized copies across splits',
  leak_fuzzy: 'Fuzzy copies across splits',
  leak_semantic: 'Semantic twins across splits',
  label_in_text: 'Label written in the text',
  id_column_predicts_label: 'A column predicts the label',
};

export const FIX_LABELS: Record<string, string> = {
  drop: 'Drop these rows',
  'keep-first': 'Keep the first of each group',
  merge: 'Merge (majority label)',
  trim: 'Trim spaces',
  relabel: 'Merge the label variants',
};

export const titleOf = (checkId: string) => CHECK_TITLES[checkId] ?? checkId.replace(/_/g, ' ');
