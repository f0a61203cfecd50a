// lmData: reads instruction / domain-text data (JSONL, .txt, or the CSV parseFile already holds), suggests the
// task from the file, applies the chosen one, splits on prompts, audits prompts (duplicates, prompts shared
// between train and validation: the data room's leakage check on promptKey) and flags rows whose completion or
// EOS is cut at max tokens (measured with the loaded tokenizer, else estimated at 4 characters a token).
import { percentile } from '../../protocol/trainDefaults';
import type { InstructionDataset, InstructionFormat } from '../../data/instructionData';
import { detectInstructionFormat, instructionDataFromCsv, instructionDataFromJsonl, promptKey, textDocuments } from '../../data/instructionData';
import { detectTrainValLeakage } from '../../data/leakage';
import type { CsvTable } from '../../data/csv';
import type { LmDataArgs, LmDataSummary, LmRowView, LmTask } from '../../protocol/lmMessages';
import type { HandlerContext } from '../handlerContext';
import type { StudioSession } from '../session';
import { StudioError } from '../userError';
import type { LmSessionData } from '../lmSession';
import { persistNewTable } from '../datasetStore';
import { splitExamples } from '../../data/instructionSplit';
import { readTextFile } from '../streamCsv';
import { looksLikeClassification, parseJsonl } from '../../data/jsonRecords';
import { MAX_LISTED_LEFT_OUT } from '../../data/leftOut';
import { domainBlocks, exampleText, templateFor, tokenizeInstructions } from '../lmPrepare';

const VIEW_ROWS = 60;
const cap = (s: string, n = 300) => (s.length > n ? `${s.slice(0, n)}…` : s);

function describeFormat(f: InstructionFormat): string {
  if (f.kind === 'chat') return `chat messages ("${f.messagesField}")`;
  if (f.kind === 'text') return `domain text (${f.textColumn})`;
  if (f.style === 'alpaca') return `Alpaca instruction / input / output ("${f.instructionColumn}", "${f.inputColumn ?? '–'}", "${f.outputColumn}")`;
  return `prompt → completion ("${f.promptColumn}" → "${f.completionColumn}")`;
}

/** A table standing for a JSONL / .txt file, so it is stored like a CSV and runs on it are recorded. */
function tableOf(data: InstructionDataset): CsvTable {
  const rows = data.examples.map((e) => (e.kind === 'text' ? [e.text] : e.kind === 'chat' ? [JSON.stringify(e.messages)] : [e.prompt, e.completion]));
  const header = data.format.kind === 'text' ? ['text'] : data.format.kind === 'chat' ? ['messages'] : ['prompt', 'completion'];
  return { header, rows, rowNumbers: data.examples.map((e) => e.row), delimiter: ',', errors: [] };
}

async function readNewFile(file: File, ctx: HandlerContext): Promise<{ data: InstructionDataset; suggested: LmTask }> {
  const text = await readTextFile(file); // binary (a PNG renamed .txt) and UTF-16 handled as for CSV
  const isTxt = /\.(txt|md)$/i.test(file.name);
  if (!isTxt && looksLikeClassification(parseJsonl(text).records)) {
    throw new StudioError('classification-records', `"${file.name}" holds text and label records: it is read as a classification table.`);
  }
  const parsed = isTxt ? textDocuments(text) : instructionDataFromJsonl(text);
  if (!parsed.ok) throw new StudioError('bad-lm-data', `"${file.name}": ${parsed.error}`);
  const { session } = ctx;
  const table = tableOf(parsed.value);
  session.replaceTable(
    { fileName: file.name, sizeBytes: file.size, table, datasetId: null },
    { textColumn: 0, labelColumn: Math.min(1, table.header.length - 1) },
  );
  await persistNewTable(session, new Uint8Array(await file.arrayBuffer()));
  return { data: parsed.value, suggested: parsed.value.format.kind === 'text' ? 'domain' : 'instruction' };
}

/** The CSV held by parseFile: instruction columns suggest instruction tuning, anything else classification. */
function fromCsv(session: StudioSession, task: LmTask | 'auto'): { data: InstructionDataset | null; suggested: LmTask; textColumn?: string } {
  const { table } = session.table!;
  const format = detectInstructionFormat(table.header);
  const instruction = format !== null && format.kind !== 'text';
  // A table without instruction columns stays a classification table (its label problems are shown there);
  // domain text from one of its columns is the user's choice.
  const suggested: LmTask = instruction ? 'instruction' : 'classify';
  const chosen = task === 'auto' ? suggested : task;
  if (chosen === 'classify') return { data: null, suggested };
  // Domain text from a table without a text-like column: the chosen text column.
  const textColumn = chosen === 'domain' && !instruction && format?.kind !== 'text' ? table.header[session.textColumn] : undefined;
  const parsed = instructionDataFromCsv(table, textColumn === undefined ? {} : { textColumn });
  return { data: parsed.ok ? parsed.value : null, suggested, ...(textColumn === undefined ? {} : { textColumn }) };
}

export async function handleLmData(args: LmDataArgs, ctx: HandlerContext): Promise<LmDataSummary> {
  const { session } = ctx;
  if (session.training) throw new StudioError('busy', 'Wait for the running training to finish.');
  let data: InstructionDataset | null;
  let suggested: LmTask;
  let textColumn: string | undefined;
  if (args.file) ({ data, suggested } = await readNewFile(args.file, ctx));
  else if (session.table) ({ data, suggested, textColumn } = fromCsv(session, args.task));
  else throw new StudioError('no-data', 'Drop a data file first.');
  const task = args.task === 'auto' ? suggested : args.task;
  if (task === 'instruction' && (!data || data.format.kind === 'text')) {
    throw new StudioError(
      'no-instruction-columns',
      'This file has no prompt/completion (or instruction/output, question/answer) columns and no chat "messages": it cannot be used for instruction tuning. Pick "Domain text" or "Classify text".',
    );
  }
  const lm: LmSessionData = {
    fileName: session.table?.fileName ?? args.file?.name ?? 'data',
    task,
    suggestedTask: suggested,
    format: data ? describeFormat(data.format) : 'text,label table',
    examples: task === 'classify' || !data ? [] : data.examples,
    errors: data?.errors.slice(0, MAX_LISTED_LEFT_OUT) ?? [],
    errorsTotal: data?.errors.length ?? 0,
    ...(textColumn === undefined ? {} : { textColumn }),
    split: { train: [], validation: [] },
  };
  if (task === 'domain' && !data) throw new StudioError('no-text', 'No text column found for domain text.');
  lm.split = splitExamples(lm.examples, args.validationFraction, args.seed);
  session.lm = lm;
  return summarizeLm(session, args);
}

/** Audit and truncation view of the session's LM data for the page. */
function summarizeLm(session: StudioSession, args: LmDataArgs): LmDataSummary {
  const lm = session.lm!;
  const { train, validation } = lm.split;
  const keys = lm.examples.map(promptKey);
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  const dupGroups = [...counts.values()].filter((c) => c > 1);
  const leak = detectTrainValLeakage(
    train.map((i) => keys[i]),
    validation.map((i) => keys[i]),
    { seed: args.seed },
  );
  const pairs = [...leak.exact, ...leak.normalized, ...leak.fuzzy].slice(0, 20).map((p) => ({
    train: cap(keys[train[p.trainRow]], 160),
    validation: cap(keys[validation[p.validationRow]], 160),
    similarity: p.similarity,
  }));
  const base = session.baseModel;
  const template = base ? templateFor(base.tokenizer) : null;
  const splitOf = new Map<number, 'train' | 'validation'>([...train.map((i) => [i, 'train'] as const), ...validation.map((i) => [i, 'validation'] as const)]);
  const views: LmRowView[] = [];
  let blocks: LmDataSummary['blocks'] = null;
  if (lm.task === 'instruction' && lm.examples.length > 0) {
    const measured =
      base && template
        ? tokenizeInstructions(base.tokenizer, template, lm.examples, { maxLength: args.maxSeqLength, trainOnPrompt: !!args.trainOnPrompt }).rows
        : null;
    const byExample = new Map(measured?.map((r) => [r.example, r]) ?? []);
    lm.examples.forEach((e, index) => {
      const m = byExample.get(e);
      const prompt = m?.promptText ?? (e.kind === 'text' ? e.text : keys[index]);
      const completion =
        m?.completionText ?? (e.kind === 'prompt-completion' ? e.completion : e.kind === 'chat' ? e.messages[e.messages.length - 1].content : '');
      const tokens = m ? m.row.fullLength : Math.ceil((prompt.length + completion.length) / 4) + 1;
      const completionCut = m ? m.row.completionCut : tokens > args.maxSeqLength;
      views.push({ index, row: e.row, split: splitOf.get(index) ?? 'train', prompt: cap(prompt), completion: cap(completion), tokens, completionCut });
    });
  } else if (lm.task === 'domain' && base) {
    const packed = domainBlocks(
      base.tokenizer,
      train.map((i) => lm.examples[i]),
      args.maxSeqLength,
    );
    blocks = { count: packed.blocks.length, totalTokens: packed.totalTokens };
  } else if (lm.task === 'domain') {
    const chars = train.reduce((s, i) => s + exampleText(lm.examples[i]).length, 0);
    blocks = { count: Math.ceil(chars / 4 / args.maxSeqLength), totalTokens: Math.ceil(chars / 4) };
  }
  const flagged = views.filter((v) => v.completionCut);
  const shown = [...flagged, ...views.filter((v) => !v.completionCut)].slice(0, Math.max(VIEW_ROWS, Math.min(flagged.length, 500)));
  return {
    fileName: lm.fileName,
    task: lm.task,
    suggestedTask: lm.suggestedTask,
    format: lm.format,
    examples: lm.examples.length,
    errors: lm.errors,
    errorsTotal: lm.errorsTotal,
    train: train.length,
    validation: validation.length,
    template: lm.task === 'instruction' ? (template?.source ?? null) : null,
    tokenizer: base?.modelId ?? null,
    maxSeqLength: args.maxSeqLength,
    audit: {
      duplicatePromptGroups: dupGroups.length,
      duplicatePromptRows: dupGroups.reduce((s, c) => s + c, 0),
      sharedPrompts: leak.validationRowsWithTwin.length,
      sharedShare: leak.shareWithTwin,
      pairs,
    },
    completionCut: flagged.length,
    tokenLengths:
      views.length > 0
        ? {
            p95: percentile(
              views.map((v) => v.tokens),
              95,
            ),
            max: Math.max(...views.map((v) => v.tokens)),
            measured: !!base,
          }
        : null,
    blocks,
    rows: shown,
  };
}
