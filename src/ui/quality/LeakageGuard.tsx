// Before Start: leakage found in the split is a warning the user must acknowledge to train anyway; the run
// then records it (the train request carries acknowledgedLeakage).
import { acknowledgeLeakage } from '../../state/auditActions';
import { pendingLeakage } from '../../state/slices/qualitySlice';
import { useStudioStore } from '../../state/studioStore';
import { Notice } from '../common/Notice';

export function LeakageGuard({ disabled }: { disabled: boolean }) {
  const share = useStudioStore((s) => pendingLeakage(s)?.share ?? null);
  const rows = useStudioStore((s) => pendingLeakage(s)?.pairs ?? 0);
  const acknowledged = useStudioStore((s) => s.leakageAcknowledged);
  if (share === null) return null;
  return (
    <Notice tone="warning" title="Validation overlaps training:" testId="leakage-warning">
      {rows} held-out rows ({(share * 100).toFixed(1)} %) have a twin in the training rows, so validation scores will look better than the model is. Re-split by
      groups or drop them in step 2.{' '}
      <label>
        <input type="checkbox" checked={acknowledged} disabled={disabled} onChange={(e) => acknowledgeLeakage(e.target.checked)} /> I understand; train anyway
        and record it in the run
      </label>
    </Notice>
  );
}

/** True while leakage is pending and not acknowledged (Start stays disabled). */
export function useLeakageBlocksStart(): boolean {
  return useStudioStore((s) => pendingLeakage(s) !== null && !s.leakageAcknowledged);
}
