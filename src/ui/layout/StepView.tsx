// One step's view: always mounted (its state survives moving between steps), hidden unless it is the current
// step; when it becomes current its first heading takes the focus, so keyboard and screen-reader users land on it.
import { useEffect, useRef, type ReactNode } from 'react';
import { useStudioStore } from '../../state/studioStore';
import type { StepId } from '../../state/slices/navSlice';

export function StepView({ id, children }: { id: StepId; children: ReactNode }) {
  const active = useStudioStore((s) => s.view === id);
  const ref = useRef<HTMLDivElement>(null);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (!active) return;
    const heading = ref.current?.querySelector<HTMLElement>('h2');
    if (heading) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    }
    window.scrollTo({ top: 0 });
  }, [active]);
  return (
    <div ref={ref} className="step-view" data-testid={`view-${id}`} hidden={!active}>
      {children}
    </div>
  );
}
