// The validation-loss curves of every finished trial on one chart (the best trial drawn thicker).
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { sortTrialsByMetric } from '../../state/trainingEvents';
import { useStudioStore } from '../../state/studioStore';
import { CHART_MARGIN, formatNumber } from '../charts/chartData';

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#ea580c', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#92400e', '#475569'];

export function SearchCurves() {
  const trials = useStudioStore(useShallow((s) => s.searchTrials));
  const bestIndex = useStudioStore((s) => s.searchResult?.bestIndex ?? sortTrialsByMetric(s.searchTrials)[0]?.index ?? null);
  const data = useMemo(() => {
    const byStep = new Map<number, Record<string, number>>();
    for (const t of trials)
      for (const e of t.evalPoints) {
        if (!Number.isFinite(e.valLoss)) continue;
        const row = byStep.get(e.step) ?? { step: e.step };
        row[`t${t.index}`] = e.valLoss;
        byStep.set(e.step, row);
      }
    return [...byStep.values()].sort((a, b) => a.step - b.step);
  }, [trials]);
  if (data.length === 0) return null;
  return (
    <div className="chart" data-testid="search-curves">
      <h3>Validation loss of each trial</h3>
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={data} margin={CHART_MARGIN}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e3e6ea" />
          <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} />
          <YAxis tickFormatter={formatNumber} width={64} />
          <Tooltip formatter={formatNumber} labelFormatter={(s) => `step ${s}`} />
          <Legend />
          {trials.map((t) => (
            <Line
              key={t.index}
              dataKey={`t${t.index}`}
              name={`#${t.index + 1} lr ${t.config.learningRate}, bs ${t.config.batchSize}, r ${t.config.loraR}`}
              stroke={COLORS[t.index % COLORS.length]}
              strokeWidth={t.index === bestIndex ? 3 : 1.5}
              connectNulls
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
