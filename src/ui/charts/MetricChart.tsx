// Validation metrics of the running training: accuracy and macro-F1 at each evaluation, the best step marked.
import { useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useStudioStore } from '../../state/studioStore';
import { CHART_MARGIN, formatNumber } from './chartData';

export function MetricChart() {
  const evalPoints = useStudioStore((s) => s.evalPoints);
  const bestStep = useStudioStore((s) => s.outcome?.bestStep ?? s.bestStep);
  const data = useMemo(
    () => evalPoints.map((e) => ({ step: e.step, valAccuracy: e.valAccuracy, macroF1: e.macroF1 })).filter((r) => Number.isFinite(r.valAccuracy)),
    [evalPoints],
  );
  if (data.length === 0 || evalPoints.every((e) => e.perplexity !== undefined)) return null;
  return (
    <div className="chart" data-testid="metric-chart" data-eval-points={data.length}>
      <h3>Validation metrics</h3>
      <ResponsiveContainer width="100%" height={180}>
        <LineChart data={data} syncId="train-run" margin={CHART_MARGIN}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e3e6ea" />
          <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} />
          <YAxis domain={[0, 1]} width={64} />
          <Tooltip formatter={formatNumber} labelFormatter={(s) => `step ${s}`} />
          <Legend />
          <Line type="monotone" dataKey="valAccuracy" name="accuracy" stroke="#16a34a" isAnimationActive={false} connectNulls />
          <Line type="monotone" dataKey="macroF1" name="macro-F1" stroke="#ea580c" strokeDasharray="4 2" isAnimationActive={false} connectNulls />
          {bestStep != null && <ReferenceLine x={bestStep} stroke="#16a34a" strokeDasharray="4 3" />}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
