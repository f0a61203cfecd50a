// The forgetting probe: the adapted model's value on general English at each evaluation, against the base
// model's value and the warning threshold of src/train/diagnostics.ts.
import { useMemo } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useStudioStore } from '../../state/studioStore';
import { forgettingThreshold } from '../../train/diagnostics';
import { CHART_MARGIN, formatNumber } from './chartData';

const KIND_NAMES = { perplexity: 'perplexity', 'pseudo-perplexity': 'masked-LM pseudo-perplexity', 'embedding-drift': 'embedding drift' } as const;

export function ProbeChart() {
  const info = useStudioStore((s) => s.probeInfo);
  const evalPoints = useStudioStore((s) => s.evalPoints);
  const data = useMemo(
    () => evalPoints.filter((e) => e.probe != null && Number.isFinite(e.probe)).map((e) => ({ step: e.step, probe: e.probe as number })),
    [evalPoints],
  );
  if (!info) return null;
  const limit = forgettingThreshold(info.kind);
  // Perplexities warn at a relative rise; embedding drift at an absolute distance from the base (0).
  const threshold = info.kind === 'embedding-drift' ? info.base + limit : info.base * (1 + limit);
  const shownLimit = info.kind === 'embedding-drift' ? `drift above ${limit}` : `more than +${Math.round(limit * 100)} % over the base`;
  const latest = data[data.length - 1]?.probe;
  return (
    <div className="chart" data-testid="probe-chart" data-probe-kind={info.kind} data-probe-base={info.base} data-probe-threshold={threshold}>
      <h3>Forgetting probe: {KIND_NAMES[info.kind]}</h3>
      <p className="muted">
        {info.description} Base model: {formatNumber(info.base)}
        {latest !== undefined && <>; now {formatNumber(latest)}</>}. A warning is raised at {shownLimit} (threshold {formatNumber(threshold)}).
      </p>
      {data.length > 0 && (
        <ResponsiveContainer width="100%" height={160}>
          <LineChart data={data} syncId="train-run" margin={CHART_MARGIN}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e3e6ea" />
            <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} />
            <YAxis domain={[(min: number) => Math.min(min, info.base), (max: number) => Math.max(max, threshold)]} tickFormatter={formatNumber} width={64} />
            <Tooltip formatter={formatNumber} labelFormatter={(s) => `step ${s}`} />
            <ReferenceLine y={info.base} stroke="#64748b" strokeDasharray="3 3" label={{ value: 'base', position: 'insideTopLeft', fill: '#475569' }} />
            <ReferenceLine
              y={threshold}
              stroke="#d97706"
              strokeDasharray="6 3"
              label={{ value: 'warning threshold', position: 'insideTopLeft', fill: '#92400e' }}
            />
            <Line type="monotone" dataKey="probe" name={KIND_NAMES[info.kind]} stroke="#0891b2" isAnimationActive={false} connectNulls />
          </LineChart>
        </ResponsiveContainer>
      )}
    </div>
  );
}
