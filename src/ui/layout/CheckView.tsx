// The Check step: the data audit, or what it needs when there is nothing to check yet.
import type { ReactNode } from 'react';
import { useStudioStore } from '../../state/studioStore';

export function CheckView({ children }: { children: ReactNode }) {
  const hasReport = useStudioStore((s) => s.dataset?.quality != null);
  const lm = useStudioStore((s) => s.lmTask !== 'classify');
  return (
    <>
      {!hasReport && (
        <section className="panel" aria-labelledby="check-empty-title">
          <h2 id="check-empty-title">Check the data</h2>
          <p className="muted" data-testid="check-empty">
            {lm
              ? 'Instruction data and domain text are checked in the Data step (duplicate prompts, prompts in both splits, cut completions).'
              : 'Nothing to check yet.'}{' '}
            The audit (blanks, duplicates, conflicting labels, lengths, encoding, and train/validation leakage) runs when a labeled table is loaded in the{' '}
            <a href="#/data">Data</a> step.
          </p>
        </section>
      )}
      {children}
    </>
  );
}
