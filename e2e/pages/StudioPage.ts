// Page object for the studio: the locators and user steps the specs share.
import { expect, type Locator, type Page } from '@playwright/test';

/** The guided layout's steps (issue 14); each is a view reached from the side navigation. */
export const STEPS = ['data', 'check', 'model', 'train', 'results', 'playground', 'runs'] as const;
export type Step = (typeof STEPS)[number];

export class StudioPage {
  readonly dropzone: Locator;
  readonly datasetError: Locator;
  readonly datasetBlocking: Locator;
  readonly datasetStats: Locator;
  readonly splitTotals: Locator;
  readonly startButton: Locator;
  readonly stopButton: Locator;
  readonly chart: Locator;
  readonly outcome: Locator;
  readonly backendName: Locator;
  readonly downloadButton: Locator;
  readonly modelError: Locator;
  readonly modelSummary: Locator;
  // Data audit (issue 4)
  readonly qualityPanel: Locator;
  readonly applyAllFixesButton: Locator;
  readonly fixResult: Locator;
  readonly auditSplitTotals: Locator;
  readonly leakageReport: Locator;
  readonly leakageWarning: Locator;
  readonly leakageAck: Locator;
  readonly semanticButton: Locator;
  readonly outcomeLeakage: Locator;

  constructor(readonly page: Page) {
    this.dropzone = page.getByTestId('dropzone');
    this.datasetError = page.getByTestId('dataset-error');
    this.datasetBlocking = page.getByTestId('dataset-blocking');
    this.datasetStats = page.getByTestId('dataset-stats');
    this.splitTotals = page.getByTestId('split-totals');
    // includeHidden: specs check Start's state from any step; clicking it needs the Train step (goto('train')).
    this.startButton = page.getByTestId('view-train').getByRole('button', { name: 'Start training', includeHidden: true });
    this.stopButton = page.getByTestId('view-train').getByRole('button', { name: 'Stop', exact: true });
    this.chart = page.getByTestId('loss-chart');
    this.outcome = page.getByTestId('train-outcome');
    this.backendName = page.getByTestId('backend-name');
    this.downloadButton = page.getByRole('button', { name: /Download adapter/ });
    this.modelError = page.getByTestId('model-error');
    this.modelSummary = page.getByTestId('model-summary');
    this.qualityPanel = page.getByTestId('quality-panel');
    this.applyAllFixesButton = page.getByRole('button', { name: /^Apply all \d+ fixes$/ });
    this.fixResult = page.getByTestId('fix-result');
    this.auditSplitTotals = page.getByTestId('audit-split-totals');
    this.leakageReport = page.getByTestId('leakage-report');
    this.leakageWarning = page.getByTestId('leakage-warning');
    this.leakageAck = page.getByLabel('I understand; train anyway and record it in the run');
    this.semanticButton = page.getByRole('button', { name: 'Check semantic twins' });
    this.outcomeLeakage = page.getByTestId('train-outcome-leakage');
  }

  /** Opens the studio; `query` carries test settings such as ?backend=webgpu&hub=... */
  async open(query = ''): Promise<void> {
    await this.page.goto(`/${query}`);
    await expect(this.page.getByRole('heading', { name: 'Fine-tuning Studio' })).toBeVisible();
  }

  /** The view of one step (always in the page; visible only while it is the current step). */
  view(step: Step): Locator {
    return this.page.getByTestId(`view-${step}`);
  }

  /** Goes to a step by its link in the side navigation, as a user would. */
  async goto(step: Step): Promise<void> {
    const view = this.view(step);
    if (await view.isVisible()) return;
    await this.page.getByRole('navigation', { name: 'Steps' }).getByTestId(`nav-${step}`).click();
    await expect(view).toBeVisible();
  }

  /** Shows every training setting (the form opens in its simple view). */
  async showAllSettings(): Promise<void> {
    await this.goto('train');
    const all = this.page.getByRole('radio', { name: 'All settings (advanced)' });
    if (!(await all.isChecked())) await all.check();
  }

  /** Drops a file on the drop zone with a real drop event carrying a File. */
  async dropFile(fileName: string, bytes: Buffer, mimeType = 'text/csv'): Promise<void> {
    await this.goto('data');
    const dataTransfer = await this.page.evaluateHandle(
      ({ data, name, type }) => {
        const dt = new DataTransfer();
        dt.items.add(new File([new Uint8Array(data)], name, { type }));
        return dt;
      },
      { data: [...bytes], name: fileName, type: mimeType },
    );
    await this.dropzone.dispatchEvent('dragover', { dataTransfer });
    await this.dropzone.dispatchEvent('drop', { dataTransfer });
  }

  /** One check of the quality report (data-count holds its count, data-severity its severity). */
  finding(checkId: string): Locator {
    return this.page.getByTestId(`finding-${checkId}`);
  }

  /** Sets a numeric field of the Train step (training form or search panel). */
  async setNumber(label: string, value: number): Promise<void> {
    await this.showAllSettings();
    const input = this.page.getByLabel(label, { exact: true });
    // A model-aware default can land while fill() types (e.g. Max tokens once the token lengths are measured): the
    // re-render drops the selection and the typed digits join the default ("56" + "32" = "5632"). Fill until it holds.
    await expect(async () => {
      await input.fill(String(value));
      await expect(input).toHaveValue(String(value), { timeout: 1000 });
    }).toPass({ timeout: 15_000 });
  }

  async useHubModel(modelId: string): Promise<void> {
    await this.goto('model');
    await this.page.getByLabel('Hugging Face model').check();
    await this.page.getByLabel('Model id').fill(modelId);
    await this.page.getByRole('button', { name: 'Load model' }).click();
  }
}
