// The live chart of the running training: its curves, with trend attributes for tests.
import { useStudioStore } from '../../state/studioStore';
import { CurvesChart } from './CurvesChart';

export function LossChart() {
  const trainPoints = useStudioStore((s) => s.trainPoints);
  const evalPoints = useStudioStore((s) => s.evalPoints);
  if (trainPoints.length === 0 && evalPoints.length === 0) return null;
  // Mean of the first and last few training losses, exposed for tests.
  const k = Math.min(3, trainPoints.length);
  const mean = (ps: typeof trainPoints) => ps.reduce((s, p) => s + p.loss, 0) / Math.max(1, ps.length);
  return (
    <div
      className="chart"
      data-testid="loss-chart"
      data-train-points={trainPoints.length}
      data-eval-points={evalPoints.length}
      data-train-loss-start={mean(trainPoints.slice(0, k))}
      data-train-loss-end={mean(trainPoints.slice(-k))}
    >
      <CurvesChart trainPoints={trainPoints} evalPoints={evalPoints} />
    </div>
  );
}
