// Several runs side by side: validation loss curves overlaid, and their configs and best metrics in a table.
import { useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useStudioStore } from '../../state/studioStore';

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea'];

export function CompareView() {
  const runs = useStudioStore((s) => s.compareRuns);
  const data = useMemo(() => {
    const rows = new Map<number, Record<string, number>>();
    runs.forEach((r, i) => {
      for (const p of r.trainPoints) rows.set(p.step, { ...(rows.get(p.step) ?? { step: p.step }), [`train${i}`]: p.loss });
      for (const e of r.evalPoints) rows.set(e.step, { ...(rows.get(e.step) ?? { step: e.step }), [`val${i}`]: e.valLoss });
    });
    return [...rows.values()].sort((a, b) => a.step - b.step);
  }, [runs]);
  if (runs.length < 2) return runs.length === 1 ? <p className="muted">Tick another run to compare.</p> : null;
  return (
    <div className="subpanel" data-testid="compare-view">
      <h3>Comparing {runs.length} runs</h3>
      <ResponsiveContainer width="100%" height={240}>
        <LineChart data={data}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e3e6ea" />
          <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} />
          <YAxis />
          <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(4) : String(v))} />
          <Legend />
          {runs.map((_, i) => [
            <Line
              key={`t${i}`}
              dataKey={`train${i}`}
              name={`#${i + 1} train`}
              stroke={COLORS[i]}
              strokeOpacity={0.4}
              dot={false}
              connectNulls
              isAnimationActive={false}
            />,
            <Line key={`v${i}`} dataKey={`val${i}`} name={`#${i + 1} validation`} stroke={COLORS[i]} strokeWidth={2} connectNulls isAnimationActive={false} />,
          ])}
        </LineChart>
      </ResponsiveContainer>
      <table aria-label="Run comparison" className="compact">
        <thead>
          <tr>
            <th>#</th>
            <th>model</th>
            <th>lr</th>
            <th>batch</th>
            <th>epochs</th>
            <th>r / alpha</th>
            <th>strategy</th>
            <th>best val loss</th>
            <th>best val acc</th>
          </tr>
        </thead>
        <tbody>
          {runs.map(({ run }, i) => (
            <tr key={run.id}>
              <td style={{ color: COLORS[i] }}>#{i + 1}</td>
              <td>{run.modelId}</td>
              <td>{run.config.learningRate}</td>
              <td>{run.config.batchSize}</td>
              <td>{run.config.epochs}</td>
              <td>
                {run.config.loraR} / {run.config.loraAlpha}
              </td>
              <td>{run.backend === 'imported' ? 'imported' : (run.config.strategy ?? 'lora')}</td>
              <td>{run.bestValLoss?.toFixed(4) ?? '–'}</td>
              <td>{run.bestValAccuracy === null ? '–' : `${(run.bestValAccuracy * 100).toFixed(1)}%`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
