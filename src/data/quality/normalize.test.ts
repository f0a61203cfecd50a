// Tests for isBlankText and normalizeText (PROVENANCE's near-duplicate key). Inline strings only.
import { describe, expect, it } from 'vitest';
import { isBlankText, normalizeText } from './normalize';

describe('isBlankText', () => {
  it.each<[string, boolean]>([
    ['', true],
    ['   ', true],
    ['\t ', true],
    ['\u00a0', true],
    ['\u2003\u3000', true],
    ['\u200b', true],
    ['\u0085', true],
    ['a', false],
    [' . ', false],
  ])('%j → %s', (text, blank) => expect(isBlankText(text)).toBe(blank));
});

describe('normalizeText', () => {
  it.each<[string, string]>([
    ['Ok lar... Joking wif u oni...', 'ok lar joking wif u oni'],
    ['Ok  lar...  Joking  wif  u  oni... ', 'ok lar joking wif u oni'],
    ['Works great!.', 'works great'],
    ['Very disappointing.  ', 'very disappointing'],
    ['ＦＵＬＬ　ｗｉｄｔｈ', 'full width'],
    ['Win the newest \u0093Harry', 'win the newest harry'],
    ['Win the newest “Harry', 'win the newest harry'],
    ['line\nbreak\u0085nel', 'line break nel'],
    ['£5 + 3 = 8', '£5 + 3 = 8'],
    ['¿Qué tal?', 'qué tal'],
    [':-) :-)', ''],
  ])('%j → %j', (text, key) => expect(normalizeText(text)).toBe(key));
});
