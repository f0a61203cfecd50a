// The import helpers: files found inside a zipped folder, label order from label_map / config id2label, and the
// label matching that maps HF's generic LABEL_i names and refuses other label sets with a message naming both.
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { entryNamed, genericLabels, labelOrder, matchLabels, readZip, textOf } from './importFiles';

describe('importFiles', () => {
  it('finds files at the top or inside the folder the user zipped (the shortest path wins)', async () => {
    const bytes = zipSync({ 'my-adapter/adapter_config.json': strToU8('{"r":4}'), 'my-adapter/old/adapter_config.json': strToU8('{}') });
    const zip = await readZip(new File([bytes], 'a.zip'), 'an adapter zip');
    expect(entryNamed(zip, 'adapter_config.json')).toBe('my-adapter/adapter_config.json');
    expect(textOf(zip, 'adapter_config.json')).toBe('{"r":4}');
    expect(textOf(zip, 'adapter_model.safetensors')).toBeNull();
  });

  it('says a file that is not a zip is not one', async () => {
    await expect(readZip(new File([strToU8('not a zip')], 'notes.zip'), 'an adapter zip')).rejects.toThrow(/notes\.zip is not a readable zip/);
  });

  it('reads id2label in id order (ids sort numerically, not as text)', () => {
    const id2label = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [String(i), `c${i}`]));
    expect(labelOrder(JSON.stringify({ id2label }))).toEqual(Array.from({ length: 11 }, (_, i) => `c${i}`));
    expect(labelOrder('{"num_labels": 2}')).toBeNull();
    expect(labelOrder('not json')).toBeNull();
    expect(labelOrder(null)).toBeNull();
  });

  it("keeps the checkpoint's order for the same label set, maps generic LABEL_i, and refuses other labels", () => {
    expect(matchLabels(['pos', 'neg'], ['neg', 'pos'])).toEqual({ labelNames: ['pos', 'neg'], note: null });
    expect(matchLabels(null, ['a', 'b'])).toEqual({ labelNames: ['a', 'b'], note: null });
    expect(genericLabels(['LABEL_0', 'LABEL_1'])).toBe(true);
    const generic = matchLabels(['LABEL_0', 'LABEL_1', 'LABEL_2'], ['bird', 'cat', 'dog']);
    expect(generic.labelNames).toEqual(['bird', 'cat', 'dog']);
    expect(generic.note).toMatch(/LABEL_0, LABEL_1, LABEL_2.*bird, cat, dog/);
    expect(() => matchLabels(['LABEL_0', 'LABEL_1'], ['a', 'b', 'c'])).toThrow(
      /other labels: it knows LABEL_0, LABEL_1; this data has a, b, c \(new: a, b, c\)/,
    );
    expect(() => matchLabels(['cat', 'dog'], ['cat', 'bird'])).toThrow(/new: bird/);
  });
});
