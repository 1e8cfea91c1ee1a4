/**
 * A one-line progress bar on stderr, redrawn with \r at most ten times a second: how many of the
 * `total` units (rows, or projects, or statements) are done, and the rows written per second.
 */
export class ProgressBar {
  private done = 0;
  private rows = 0;
  private readonly started = performance.now();
  private lastDraw = 0;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly unit = "rows",
  ) {
    this.draw();
  }

  tick(units = 1, rows = units) {
    this.done += units;
    this.rows += rows;
    const now = performance.now();
    if (now - this.lastDraw >= 100) this.draw(now);
  }

  finish(): { rows: number; seconds: number } {
    this.draw();
    process.stderr.write("\n");
    return { rows: this.rows, seconds: (performance.now() - this.started) / 1000 };
  }

  private draw(now = performance.now()) {
    this.lastDraw = now;
    const fraction = this.total > 0 ? Math.min(1, this.done / this.total) : 1;
    const width = 28;
    const filled = Math.round(fraction * width);
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? this.rows / seconds : 0;
    const line =
      `${this.label.padEnd(16)} [${"#".repeat(filled)}${".".repeat(width - filled)}] ` +
      `${this.done.toLocaleString("en-US").padStart(9)}/${this.total.toLocaleString("en-US")} ${this.unit} ` +
      `${(fraction * 100).toFixed(0).padStart(3)}%  ${this.rows.toLocaleString("en-US")} rows, ${Math.round(rate).toLocaleString("en-US")} rows/s  ${seconds.toFixed(1)}s`;
    process.stderr.write(`\r${line}\x1b[K`);
  }
}
