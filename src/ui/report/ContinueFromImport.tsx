// The Train step's note when the next run continues from an imported adapter (issue 14): which adapter, its rank,
// alpha and targets (the run keeps them), and a checkbox to start from a fresh LoRA instead.
import { setContinueFromImport } from '../../state/adapterActions';
import { useStudioStore } from '../../state/studioStore';

export function ContinueFromImport({ disabled }: { disabled: boolean }) {
  const imported = useStudioStore((s) => (s.importedAdapter?.kind === 'adapter' ? s.importedAdapter : null));
  const on = useStudioStore((s) => s.continueFromImport);
  const task = useStudioStore((s) => (s.lmTask === 'classify' ? 'SEQ_CLS' : 'CAUSAL_LM'));
  // A classification adapter continues a classification run, a causal-LM adapter an instruction / domain-text run.
  if (!imported || imported.task !== task) return null;
  return (
    <div className="subpanel" data-testid="continue-from-import">
      <label>
        <input type="checkbox" checked={on} disabled={disabled} onChange={(e) => setContinueFromImport(e.target.checked)} /> Continue from the imported adapter{' '}
        <strong>{imported.fileName}</strong>
      </label>
      {on && (
        <p className="muted">
          The run starts from its weights and head: LoRA r {imported.r}, alpha {imported.loraAlpha} on {imported.targetModules.join(', ')} (the adapter's; the
          rank, alpha and target settings below do not apply). With Max tokens as at the import, its first evaluation is the imported adapter's.
        </p>
      )}
    </div>
  );
}
