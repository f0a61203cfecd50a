// Bad files get a clear message that says what is wrong and what to do, and the page keeps working.
import { readFileSync } from 'node:fs';
import { expect, test } from '../fixtures/studio';
import { dataFile } from '../fixtures/paths';

const GOOD = readFileSync(dataFile('sentiment-200.csv'));

function csv(rows: string[][]): Buffer {
  return Buffer.from(rows.map((r) => r.join(',')).join('\n') + '\n');
}

test('empty, one-column and binary files are refused with a reason; a good file still loads after', async ({ studio }) => {
  await studio.open('?backend=wasm');

  await studio.dropFile('empty.csv', Buffer.alloc(0));
  await expect(studio.datasetError).toContainText('empty');

  await studio.dropFile('one-column.csv', csv([['text'], ['just one column'], ['and another row'], ['and a third']]));
  await expect(studio.datasetError).toContainText(/one column|single column/i);

  const binary = Buffer.alloc(4096);
  for (let i = 0; i < binary.length; i++) binary[i] = (i * 2654435761) % 256;
  await studio.dropFile('photo.csv', binary);
  await expect(studio.datasetError).toContainText(/not look like a UTF-8 text file/);

  await studio.dropFile('sentiment-200.csv', GOOD);
  await expect(studio.datasetStats).toContainText('200 rows, 2 labels');
  await expect(studio.datasetError).toBeHidden();
});

test('all-same labels and 10,000 distinct labels block training with advice', async ({ studio }) => {
  await studio.open('?backend=wasm');

  await studio.dropFile('same.csv', csv([['text', 'label'], ...Array.from({ length: 40 }, (_, i) => [`sentence ${i} is fine`, 'positive'])]));
  await expect(studio.datasetBlocking).toContainText('same label');
  await expect(studio.startButton).toBeDisabled();

  await studio.dropFile('ids.csv', csv([['text', 'label'], ...Array.from({ length: 10_000 }, (_, i) => [`text number ${i}`, `label-${i}`])]));
  await expect(studio.datasetBlocking).toContainText('not a label');
  await expect(studio.startButton).toBeDisabled();

  // A good file afterwards trains again.
  await studio.dropFile('sentiment-200.csv', GOOD);
  await expect(studio.startButton).toBeEnabled();
});
