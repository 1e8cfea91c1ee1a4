/** A one-line progress bar on stderr, redrawn with \r at most ten times a second, with rows/s. */
export class ProgressBar {
  private done = 0;
  private readonly started = performance.now();
  private lastDraw = 0;

  constructor(
    private readonly label: string,
    private readonly total: number,
  ) {
    this.draw();
  }

  tick(rows = 1) {
    this.done += rows;
    const now = performance.now();
    if (now - this.lastDraw >= 100) this.draw(now);
  }

  finish(): { rows: number; seconds: number } {
    this.draw();
    process.stderr.write("\n");
    return { rows: this.done, seconds: (performance.now() - this.started) / 1000 };
  }

  private draw(now = performance.now()) {
    this.lastDraw = now;
    const fraction = this.total > 0 ? Math.min(1, this.done / this.total) : 1;
    const width = 28;
    const filled = Math.round(fraction * width);
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? this.done / seconds : 0;
    const line =
      `${this.label.padEnd(16)} [${"#".repeat(filled)}${".".repeat(width - filled)}] ` +
      `${this.done.toLocaleString("en-US").padStart(9)}/${this.total.toLocaleString("en-US")} ` +
      `${(fraction * 100).toFixed(0).padStart(3)}%  ${Math.round(rate).toLocaleString("en-US")} rows/s  ${seconds.toFixed(1)}s`;
    process.stderr.write(`\r${line}\x1b[K`);
  }
}
