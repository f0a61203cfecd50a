// Tests for JSON record reading in the shapes people save, and majority-format JSONL with odd lines listed.
import { describe, expect, it } from 'vitest';
import { parseJsonl } from './jsonRecords';
import { instructionDataFromJsonl } from './instructionData';

const pc = (i: number) => JSON.stringify({ prompt: `question ${i}`, completion: `answer ${i}` });
const chat = JSON.stringify({
  messages: [
    { role: 'user', content: 'hi' },
    { role: 'assistant', content: 'hello' },
  ],
});

describe('parseJsonl shapes', () => {
  it('reads a pretty-printed JSON array, a wrapper object and a lone record', () => {
    const arr = JSON.stringify(
      [
        { prompt: 'a', completion: 'b' },
        { prompt: 'c', completion: 'd' },
      ],
      null,
      2,
    );
    expect(parseJsonl(arr).records.map((r) => r.value.prompt)).toEqual(['a', 'c']);
    const wrapped = JSON.stringify({ version: 2, data: [{ prompt: 'a', completion: 'b' }] }, null, 2);
    expect(parseJsonl(wrapped).records.map((r) => r.value.prompt)).toEqual(['a']);
    expect(parseJsonl(JSON.stringify(JSON.parse(chat), null, 2)).records).toHaveLength(1);
  });

  it('reads pretty-printed objects back to back, numbered by the line each starts on', () => {
    const text = [1, 2, 3].map((i) => JSON.stringify({ prompt: `p{${i}}`, completion: 'c "}"' }, null, 2)).join('\n');
    const { records, errors } = parseJsonl(text);
    expect(errors).toEqual([]);
    expect(records.map((r) => [r.line, r.value.prompt])).toEqual([
      [1, 'p{1}'],
      [5, 'p{2}'],
      [9, 'p{3}'],
    ]);
  });

  it('reports an object that is never closed', () => {
    const text = `${JSON.stringify({ a: 1 }, null, 2)}\n{\n  "b": 2,\n`;
    expect(parseJsonl(text).errors.at(-1)?.message).toMatch(/never closed/);
  });
});

describe('instructionDataFromJsonl by majority', () => {
  it('reads a mostly prompt/completion file as such and lists the chat lines by line number', () => {
    const lines = Array.from({ length: 10 }, (_, i) => pc(i));
    lines.splice(3, 0, chat);
    lines.splice(7, 0, chat);
    const r = instructionDataFromJsonl(lines.join('\n'));
    if (!r.ok) throw new Error(r.error);
    expect(r.value.format.kind).toBe('prompt-completion');
    expect(r.value.examples).toHaveLength(10);
    expect(r.value.errors.map((e) => e.row)).toEqual([4, 8]);
    expect(r.value.errors[0].message).toMatch(/line 4: this line is chat \("messages"\) but most lines are prompt\/completion/);
  });

  it('still reads a chat file with a few prompt/completion lines as chat', () => {
    const r = instructionDataFromJsonl([chat, chat, chat, pc(1)].join('\n'));
    expect(r.ok && r.value.format.kind).toBe('chat');
    expect(r.ok && r.value.errors.map((e) => e.row)).toEqual([4]);
  });
});

describe('leftOutRows / leftOutCsv', () => {
  it('lists parse errors and empty or unlabelled rows in file order, with a formula-safe CSV', async () => {
    const { parseCsv } = await import('./csv');
    const { leftOutRows } = await import('./leftOut');
    const { leftOutCsv } = await import('../ui/common/leftOutCsv');
    const table = parseCsv('text,label\nhello,pos\n   ,neg\na,b,c\nfine,\n=cmd(),x\n');
    if (!table.ok) throw new Error(table.error.message);
    const out = leftOutRows(table.value, 0, 1);
    expect(out.total).toBe(3);
    expect(out.rows.map((r) => r.row)).toEqual([2, 3, 4]);
    expect(out.rows[0].message).toMatch(/text is empty/);
    expect(out.rows[1].message).toMatch(/expected 2 fields but found 3/);
    expect(out.rows[2].message).toMatch(/label is missing/);
    expect(leftOutRows(table.value, 0, 1, 1)).toMatchObject({ total: 3, rows: [{ row: 2 }] });
    const csv = leftOutCsv([{ row: 7, message: '=HYPERLINK("x"), bad' }]);
    expect(csv).toBe('row,reason\r\n7,"\'=HYPERLINK(""x""), bad"\r\n');
  });
});
