// Training and validation loss overlaid on one axis, plus validation accuracy on a second axis.
import { useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useStudioStore } from '../../state/studioStore';

type Row = { step: number; trainLoss?: number; valLoss?: number; valAccuracy?: number };

export function LossChart() {
  const trainPoints = useStudioStore((s) => s.trainPoints);
  const evalPoints = useStudioStore((s) => s.evalPoints);
  const data = useMemo(() => {
    const byStep = new Map<number, Row>();
    for (const p of trainPoints) byStep.set(p.step, { step: p.step, trainLoss: p.loss });
    for (const e of evalPoints) {
      const row = byStep.get(e.step) ?? { step: e.step };
      byStep.set(e.step, { ...row, valLoss: e.valLoss, valAccuracy: e.valAccuracy });
    }
    return [...byStep.values()].sort((a, b) => a.step - b.step);
  }, [trainPoints, evalPoints]);

  if (data.length === 0) return null;
  // Mean of the first and last few training losses, exposed for tests and tooltips of the trend.
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
      <ResponsiveContainer width="100%" height={280}>
        <LineChart data={data} margin={{ top: 8, right: 24, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e3e6ea" />
          <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} label={{ value: 'step', position: 'insideBottomRight', offset: -4 }} />
          <YAxis yAxisId="loss" label={{ value: 'loss', angle: -90, position: 'insideLeft' }} />
          <YAxis yAxisId="acc" orientation="right" domain={[0, 1]} label={{ value: 'accuracy', angle: 90, position: 'insideRight' }} />
          <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(4) : String(v))} />
          <Legend />
          <Line yAxisId="loss" type="monotone" dataKey="trainLoss" name="training loss" stroke="#2563eb" dot={false} isAnimationActive={false} connectNulls />
          <Line yAxisId="loss" type="monotone" dataKey="valLoss" name="validation loss" stroke="#dc2626" strokeWidth={2} connectNulls isAnimationActive={false} />
          <Line yAxisId="acc" type="monotone" dataKey="valAccuracy" name="validation accuracy" stroke="#16a34a" strokeDasharray="4 2" connectNulls isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
