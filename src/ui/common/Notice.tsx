// A banner for errors, warnings and notes: says what is wrong and what to do.
import type { ReactNode } from 'react';

type Props = { tone: 'error' | 'warning' | 'info'; title?: string; children: ReactNode; testId?: string };

export function Notice({ tone, title, children, testId }: Props) {
  return (
    <div className={`notice notice-${tone}`} role={tone === 'error' ? 'alert' : 'status'} data-testid={testId}>
      {title && <strong>{title} </strong>}
      {children}
    </div>
  );
}
