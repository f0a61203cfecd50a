// The live charts of the running training: training and validation loss overlaid (log-scale toggle, zoom with
// the brush, the best evaluation marked), and the learning-rate schedule below, with trend attributes for tests.
import { useMemo, useState } from 'react';
import { Brush, CartesianGrid, Legend, Line, LineChart, ReferenceDot, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useStudioStore } from '../../state/studioStore';
import { CHART_MARGIN, formatNumber, mergeByStep } from './chartData';
import { ChartDataTable } from './ChartDataTable';

export function LossChart() {
  const trainPoints = useStudioStore((s) => s.trainPoints);
  const evalPoints = useStudioStore((s) => s.evalPoints);
  const bestStep = useStudioStore((s) => s.outcome?.bestStep ?? s.bestStep);
  const [log, setLog] = useState(false);
  const data = useMemo(() => mergeByStep(trainPoints, evalPoints), [trainPoints, evalPoints]);
  if (trainPoints.length === 0 && evalPoints.length === 0) return null;
  // Mean of the first and last few training losses, exposed for tests.
  const k = Math.min(3, trainPoints.length);
  const mean = (ps: typeof trainPoints) => ps.reduce((s, p) => s + p.loss, 0) / Math.max(1, ps.length);
  const best = bestStep == null ? undefined : evalPoints.find((e) => e.step === bestStep);
  const rows = log ? data.map((r) => ({ ...r, trainLoss: pos(r.trainLoss), valLoss: pos(r.valLoss) })) : data;
  return (
    <div
      className="chart"
      data-testid="loss-chart"
      data-train-points={trainPoints.length}
      data-eval-points={evalPoints.length}
      data-train-loss-start={mean(trainPoints.slice(0, k))}
      data-train-loss-end={mean(trainPoints.slice(-k))}
      data-best-step={best?.step ?? ''}
      data-log-scale={log}
    >
      <div className="row chart-head">
        <h3>Loss</h3>
        <label title="A log scale shows small late improvements and early large drops on one chart.">
          <input type="checkbox" checked={log} onChange={(e) => setLog(e.target.checked)} /> Log scale
        </label>
        {best && (
          <span className="muted" data-testid="best-point">
            Best: step {best.step}, validation loss {best.valLoss.toFixed(4)}
          </span>
        )}
      </div>
      <ResponsiveContainer width="100%" height={280}>
        <LineChart data={rows} syncId="train-run" margin={{ ...CHART_MARGIN, top: 20 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e3e6ea" />
          <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} />
          <YAxis
            scale={log ? 'log' : 'auto'}
            domain={log ? ['auto', 'auto'] : [0, 'auto']}
            allowDataOverflow={log}
            tickFormatter={(v: number) => formatNumber(v)}
            width={64}
            label={{ value: 'loss', angle: -90, position: 'insideLeft' }}
          />
          <Tooltip formatter={formatNumber} labelFormatter={(s) => `step ${s}`} />
          <Legend />
          <Line type="monotone" dataKey="trainLoss" name="training loss" stroke="#2563eb" dot={false} isAnimationActive={false} connectNulls />
          <Line type="monotone" dataKey="valLoss" name="validation loss" stroke="#dc2626" strokeWidth={2} connectNulls isAnimationActive={false} />
          {best && <ReferenceLine x={best.step} stroke="#16a34a" strokeDasharray="4 3" label={{ value: 'best', position: 'top', fill: '#166534' }} />}
          {best && (!log || best.valLoss > 0) && <ReferenceDot x={best.step} y={best.valLoss} r={6} fill="#16a34a" stroke="#fff" />}
          {rows.length > 2 && <Brush dataKey="step" height={22} travellerWidth={8} stroke="#94a3b8" />}
        </LineChart>
      </ResponsiveContainer>
      <h3>Learning rate</h3>
      <ResponsiveContainer width="100%" height={120}>
        <LineChart data={rows} syncId="train-run" margin={CHART_MARGIN}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e3e6ea" />
          <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} />
          <YAxis tickFormatter={(v: number) => v.toExponential(0)} width={64} />
          <Tooltip formatter={formatNumber} labelFormatter={(s) => `step ${s}`} />
          <Line type="stepAfter" dataKey="learningRate" name="learning rate" stroke="#7c3aed" dot={false} isAnimationActive={false} connectNulls />
        </LineChart>
      </ResponsiveContainer>
      <ChartDataTable rows={data} caption="Training curve data" />
    </div>
  );
}

const pos = (x: number | undefined) => (x !== undefined && x > 0 ? x : undefined);
