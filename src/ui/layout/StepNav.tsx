// The persistent side navigation (issue 14): every step with its status (done / needs attention / blocked,
// the reason on hover and for screen readers) and, above it, what to do next.
import { useShallow } from 'zustand/react/shallow';
import { useStudioStore } from '../../state/studioStore';
import { nextStep, pickStepInput, STATUS_WORDS, stepInfos, type StepStatus } from '../../state/steps';

const ICONS: Record<StepStatus, string> = { done: '✓', attention: '!', blocked: '–', todo: '○', running: '▶' };

export function StepNav() {
  const view = useStudioStore((s) => s.view);
  const input = useStudioStore(useShallow(pickStepInput));
  const steps = stepInfos(input);
  const next = nextStep(steps);
  return (
    <nav className="step-nav" aria-label="Steps">
      <p className="next-step" data-testid="next-step" data-step={next.id}>
        <span className="next-label">Next:</span> <a href={`#/${next.id}`}>{next.title}</a>
        <span className="next-reason">{next.reason}</span>
      </p>
      <ol>
        {steps.map((st, i) => (
          <li key={st.id}>
            <a
              href={`#/${st.id}`}
              data-testid={`nav-${st.id}`}
              data-status={st.status}
              aria-current={view === st.id ? 'page' : undefined}
              title={`${STATUS_WORDS[st.status]}: ${st.reason}`}
              className={`step-link step-${st.status}`}
            >
              <span className="step-num" aria-hidden="true">
                {i + 1}
              </span>
              <span className="step-title">{st.title}</span>
              <span className="step-icon" aria-hidden="true">
                {ICONS[st.status]}
              </span>
              <span className="visually-hidden">
                {' '}
                ({STATUS_WORDS[st.status]}: {st.reason})
              </span>
            </a>
          </li>
        ))}
      </ol>
    </nav>
  );
}
