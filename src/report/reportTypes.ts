// The training report (issue 14) as data: the JSON twin of the HTML report. Plain serialisable values only, so
// the same object is written as report.json and rendered as report.html.
export const REPORT_FORMAT = 'finetune-studio-report/1';

export type ReportFinding = { checkId: string; severity: string; count: number; reason: string };
export type ReportCurvePoint = { step: number; value: number };
export type ReportCurve = { name: string; points: ReportCurvePoint[] };
export type ReportBaseline = { name: string; accuracy: number | null; macroF1: number | null; note?: string };

export type TrainingReport = {
  format: typeof REPORT_FORMAT;
  createdAt: string;
  run: { id: string | null; name: string; status: string; steps: number; startedAt: string | null };
  dataset: {
    fileName: string;
    rows: number;
    labels: { label: string; count: number }[];
    droppedRows: number;
    task: string;
    findings: ReportFinding[];
    fixesApplied: { before: number; after: number; dropped: number; trimmed: number; relabeled: number } | null;
  } | null;
  split: {
    mode: string;
    seed: number | null;
    validationFraction: number | null;
    train: number;
    validation: number;
    test: number | null;
    leakage: { rowsWithTwin: number; shareWithTwin: number; findings: ReportFinding[] } | null;
    leakageAcknowledged: boolean;
  } | null;
  model: {
    id: string;
    revision: string | null;
    type: string | null;
    layers: number | null;
    hidden: number | null;
    parameters: number | null;
    pretrained: boolean | null;
  };
  strategy: string;
  hyperparameters: Record<string, number | string | boolean>;
  curves: ReportCurve[];
  evaluation: {
    final: { valLoss: number | null; valAccuracy: number | null; macroF1: number | null; perplexity: number | null };
    bestStep: number | null;
    bestValLoss: number | null;
    restoredBest: boolean;
    test: { loss: number; accuracy: number; macroF1: number; examples: number } | null;
    perClass: { label: string; precision: number; recall: number; f1: number; support: number }[];
    confusion: { labels: string[]; matrix: number[][] } | null;
  };
  baselines: ReportBaseline[];
  verdict: string | null;
  diagnostics: { id: string; severity: string; title: string; message: string; startedAtStep: number }[];
  hardware: { backend: string; reason: string | null; adapter: string | null; userAgent: string | null };
  timing: { meanStepMs: number | null; tokensPerSec: number | null; totalSeconds: number | null };
};
