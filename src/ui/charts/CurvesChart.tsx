// Training and validation loss overlaid on one axis, validation accuracy on a second axis.
import { useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { EvalPoint, TrainPoint } from '../../protocol/messages';
import { ChartDataTable } from './ChartDataTable';

type Row = { step: number; trainLoss?: number; valLoss?: number; valAccuracy?: number };

export function CurvesChart({
  trainPoints,
  evalPoints,
  height = 280,
}: {
  trainPoints: readonly TrainPoint[];
  evalPoints: readonly EvalPoint[];
  height?: number;
}) {
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
  return (
    <>
      <ResponsiveContainer width="100%" height={height}>
        <LineChart data={data} margin={{ top: 8, right: 24, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e3e6ea" />
          <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} label={{ value: 'step', position: 'insideBottomRight', offset: -4 }} />
          <YAxis yAxisId="loss" label={{ value: 'loss', angle: -90, position: 'insideLeft' }} />
          <YAxis yAxisId="acc" orientation="right" domain={[0, 1]} label={{ value: 'accuracy', angle: 90, position: 'insideRight' }} />
          <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(4) : String(v))} />
          <Legend />
          <Line yAxisId="loss" type="monotone" dataKey="trainLoss" name="training loss" stroke="#2563eb" dot={false} isAnimationActive={false} connectNulls />
          <Line
            yAxisId="loss"
            type="monotone"
            dataKey="valLoss"
            name="validation loss"
            stroke="#dc2626"
            strokeWidth={2}
            connectNulls
            isAnimationActive={false}
          />
          <Line
            yAxisId="acc"
            type="monotone"
            dataKey="valAccuracy"
            name="validation accuracy"
            stroke="#16a34a"
            strokeDasharray="4 2"
            connectNulls
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
      <ChartDataTable rows={data} caption="Run curve data" />
    </>
  );
}
