/** Rolling 7-day acute and 28-day chronic load, and Foster monotony, over the true daily loads. */
export class LoadWindows {
  private readonly loads: number[] = [];

  addDay(load: number): void {
    this.loads.push(load);
    if (this.loads.length > 28) this.loads.shift();
  }

  /** Acute:chronic workload ratio (7-day mean / 28-day mean), 1 when there is no chronic load. */
  acuteChronicRatio(): number {
    const chronic = mean(this.loads);
    return chronic > 0 ? mean(this.loads.slice(-7)) / chronic : 1;
  }

  /** 7-day mean / 7-day standard deviation, capped at 10 (a constant load has infinite monotony). */
  monotony(): number {
    const week = this.loads.slice(-7);
    const m = mean(week);
    if (m === 0) return 0;
    const sd = Math.sqrt(mean(week.map((l) => (l - m) ** 2)));
    return sd === 0 ? 10 : Math.min(10, m / sd);
  }
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}
