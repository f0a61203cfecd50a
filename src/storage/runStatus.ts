// Which run status may follow which: finished and failed runs are final; interrupted and paused resume.
// Pure.
import type { RunStatus } from './records';

const NEXT: Record<RunStatus, readonly RunStatus[]> = {
  running: ['running', 'paused', 'interrupted', 'finished', 'failed'],
  paused: ['paused', 'running', 'finished', 'failed'],
  interrupted: ['interrupted', 'running', 'finished', 'failed'],
  finished: ['finished'],
  failed: ['failed'],
};

export const canChangeStatus = (from: RunStatus, to: RunStatus): boolean => NEXT[from].includes(to);

export const isFinalStatus = (status: RunStatus): boolean => status === 'finished' || status === 'failed';
