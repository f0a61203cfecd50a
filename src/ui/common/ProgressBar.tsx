// A labelled progress bar (0..1); indeterminate when value is null.
type Props = { value: number | null; label: string };

export function ProgressBar({ value, label }: Props) {
  const pct = value === null ? null : Math.max(0, Math.min(1, value)) * 100;
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct === null ? undefined : Math.round(pct)}
    >
      <div className={pct === null ? 'progress-fill indeterminate' : 'progress-fill'} style={{ width: pct === null ? '30%' : `${pct}%` }} />
    </div>
  );
}
