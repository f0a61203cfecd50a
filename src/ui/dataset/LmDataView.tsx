// Instruction / domain-text data as the studio will train on it: examples and split, the prompt audit (duplicate
// prompts, prompts shared by train and validation) and the rows whose completion or EOS is cut at max tokens.
import { useStudioStore } from '../../state/studioStore';
import { Notice } from '../common/Notice';
import { LeftOutRows } from './LeftOutRows';
import { LmRowsTable } from './LmRowsTable';

export function LmDataView() {
  const d = useStudioStore((s) => s.lmData);
  const task = useStudioStore((s) => s.lmTask);
  const error = useStudioStore((s) => s.lmError);
  if (!d || task === 'classify')
    return error ? (
      <Notice tone="error" testId="lm-error">
        {error.message}
      </Notice>
    ) : null;
  const a = d.audit;
  return (
    <div data-testid="lm-data" data-examples={d.examples} data-train={d.train} data-validation={d.validation} data-completion-cut={d.completionCut}>
      {error && (
        <Notice tone="error" testId="lm-error">
          {error.message}
        </Notice>
      )}
      <p data-testid="lm-stats">
        {d.examples} examples ({d.format}): {d.train} train / {d.validation} validation
        {d.errors.length > 0 && `, ${d.errorsTotal ?? d.errors.length} rows left out (listed below)`}.
        {task === 'instruction' &&
          (d.template === 'tokenizer'
            ? " Formatted with the tokenizer's chat template."
            : d.template === 'plain'
              ? ' Formatted with the plain template (### Instruction / ### Response, EOS after the reply): this tokenizer has no chat template.'
              : ' Load a model to format and measure the rows with its tokenizer.')}
        {d.blocks && ` Packed into ${d.blocks.count} blocks of ${d.maxSeqLength} tokens (${d.blocks.totalTokens} tokens).`}
      </p>
      <LeftOutRows
        rows={d.errors}
        total={d.errorsTotal ?? d.errors.length}
        unit={/\.(jsonl|json)$/i.test(d.fileName) ? 'line' : 'row'}
        fileName={d.fileName}
        testId="lm-left-out"
      />
      <ul data-testid="lm-audit">
        <li data-testid="lm-duplicates" data-count={a.duplicatePromptGroups}>
          {a.duplicatePromptGroups === 0
            ? 'No duplicate prompts.'
            : `${a.duplicatePromptGroups} prompts appear more than once (${a.duplicatePromptRows} rows).`}
        </li>
        <li data-testid="lm-shared" data-count={a.sharedPrompts}>
          {a.sharedPrompts === 0
            ? 'No validation prompt has a twin in training.'
            : `${a.sharedPrompts} validation prompts (${(a.sharedShare * 100).toFixed(1)} %) have a twin in training: validation scores are optimistic.`}
        </li>
        {task === 'instruction' && (
          <li data-testid="lm-cut-summary" data-count={d.completionCut} className={d.completionCut > 0 ? 'warn' : undefined}>
            {d.completionCut === 0
              ? `Every completion and its EOS fit in ${d.maxSeqLength} tokens${d.tokenizer ? '' : ' (estimated)'}.`
              : `${d.completionCut} rows lose their completion or its EOS at ${d.maxSeqLength} tokens${d.tokenizer ? '' : ' (estimated)'}: the model would not learn to stop on them. Raise Max tokens or shorten them.`}
          </li>
        )}
      </ul>
      {a.pairs.length > 0 && (
        <details>
          <summary>Shared prompts</summary>
          <ul>
            {a.pairs.map((p, i) => (
              <li key={i}>
                {p.validation} ↔ {p.train} ({p.similarity.toFixed(2)})
              </li>
            ))}
          </ul>
        </details>
      )}
      {task === 'instruction' && <LmRowsTable rows={d.rows} />}
    </div>
  );
}
