// The loaded model's provenance in its summary: the revision and the commit every file came from, and each tokenizer
// fallback used ("EOS taken from config.json").
import type { ModelSummary } from '../../protocol/messages';

export function ModelSummaryNotes({ model }: { model: ModelSummary }) {
  const notes = model.tokenizerNotes ?? [];
  return (
    <>
      {model.revision && (
        <span className="muted" data-testid="model-revision" data-commit={model.revision.commit}>
          {' '}
          Revision {model.revision.requested}
          {model.revision.requested !== model.revision.commit && (
            <>
              {' '}
              = commit <code>{model.revision.commit.slice(0, 12)}</code>
            </>
          )}
          .
        </span>
      )}
      {notes.length > 0 && (
        <span className="muted" data-testid="tokenizer-notes">
          {' '}
          Tokenizer: {notes.join(' ')}
        </span>
      )}
    </>
  );
}
