// Quality slice: the data audit's page state — parse progress, split options (group-aware, test split,
// split column), fetched row texts, the imported-validation check and the leakage acknowledgement.
// The report itself arrives on DatasetSummary.quality and the split's leakage on SplitSummary.leakage.
import type { StateCreator } from 'zustand';
import type { AppliedFixSummary, AuditRow, LeakageAck, LeakageView, SplitMode, UserError } from '../../protocol/messages';
import type { StudioState } from '../studioStore';

export type QualitySlice = {
  parseProgress: { loadedBytes: number; totalBytes: number; rows: number } | null;
  /** What the audit is doing now ('fixing', 'semantic', 'report', 'import', 'download'), or null. */
  auditBusy: string | null;
  auditError: UserError | null;
  rowTexts: Record<number, AuditRow>;
  lastApplied: AppliedFixSummary | null;
  splitMode: SplitMode;
  testFraction: number;
  groupColumn: number | null;
  splitColumn: number | null;
  importedLeakage: LeakageView | null;
  /** The user saw the leakage warning of the current split and chose to train anyway. */
  leakageAcknowledged: boolean;
};

/** What a new file resets. */
export const AUDIT_RESET = {
  auditBusy: null,
  auditError: null,
  rowTexts: {},
  lastApplied: null,
  groupColumn: null,
  splitColumn: null,
  splitMode: 'group',
  importedLeakage: null,
  leakageAcknowledged: false,
} satisfies Partial<QualitySlice>;

export const createQualitySlice: StateCreator<StudioState, [], [], QualitySlice> = () => ({
  parseProgress: null,
  auditBusy: null,
  auditError: null,
  rowTexts: {},
  lastApplied: null,
  splitMode: 'group',
  testFraction: 0,
  groupColumn: null,
  splitColumn: null,
  importedLeakage: null,
  leakageAcknowledged: false,
});

/** Leakage of the current split that must be acknowledged before training, or null when there is none. */
export function pendingLeakage(s: Pick<StudioState, 'split'>): LeakageAck | null {
  const leak = s.split?.leakage;
  if (!leak || leak.rowsWithTwin === 0) return null;
  return { share: leak.shareWithTwin, pairs: leak.rowsWithTwin };
}

/** What the train request records: the acknowledged leakage, if any. */
export function leakageAckFor(s: Pick<StudioState, 'split' | 'leakageAcknowledged'>): LeakageAck | null {
  const leak = pendingLeakage(s);
  return leak && s.leakageAcknowledged ? leak : null;
}
