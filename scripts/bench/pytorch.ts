// The PyTorch side of bench:train: a long-lived torchStep.py process per thread setting, spoken to in JSON lines,
// so the bench can alternate short rounds between the studio and PyTorch on a model built once per shape.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./torchStep.py', import.meta.url));

/** Whether `python` imports torch (the bench installs nothing). */
export function pythonWithTorch(python: string): { ok: true; version: string } | { ok: false; reason: string } {
  const r = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  if (r.error) return { ok: false, reason: `${python} not found` };
  if (r.status !== 0) return { ok: false, reason: `${python} has no torch` };
  return { ok: true, version: r.stdout.trim() };
}

export class PyTorchWorker {
  private proc: ChildProcessWithoutNullStreams;
  private waiting: ((line: string) => void)[] = [];
  private stderr = '';

  constructor(
    python: string,
    readonly label: string,
    env: Record<string, string>,
  ) {
    this.proc = spawn(python, [SCRIPT], { env: { ...process.env, ...env } });
    createInterface({ input: this.proc.stdout }).on('line', (line) => this.waiting.shift()?.(line));
    this.proc.stderr.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-2000)));
  }

  private send(msg: object): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const onExit = () => reject(new Error(`torchStep.py (${this.label}) exited: ${this.stderr}`));
      this.proc.once('exit', onExit);
      this.waiting.push((line) => {
        this.proc.off('exit', onExit);
        resolve(JSON.parse(line) as Record<string, unknown>);
      });
      this.proc.stdin.write(JSON.stringify(msg) + '\n');
    });
  }

  /** Builds the model for this shape and runs one warm-up step. */
  async setup(shape: object): Promise<void> {
    await this.send({ cmd: 'setup', shape });
  }

  /** ms of each of n steps. */
  async steps(n: number): Promise<number[]> {
    return (await this.send({ cmd: 'steps', n })).times as number[];
  }

  /** The BLAS library the process loaded (from /proc/<pid>/maps; Linux only). */
  blas(): string | null {
    try {
      const maps = readFileSync(`/proc/${this.proc.pid}/maps`, 'utf8');
      const libs = maps
        .split('\n')
        .map((l) => l.trim().split(/\s+/)[5] ?? '')
        .filter((p) => /blas|mkl_rt|blis/i.test(p));
      return libs.find((p) => /openblas|mkl|blis/i.test(p)) ?? libs[0] ?? null;
    } catch {
      return null;
    }
  }

  close(): void {
    this.proc.stdin.end();
  }
}
