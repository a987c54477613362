/**
 * Banister impulse-response state. Fitness and fatigue are exponentially weighted sums of daily load;
 * their levels are those sums as a weighted mean relative to the athlete's capacity (1 = training at capacity).
 */
export class BanisterState {
  private fitness = 0;
  private fatigue = 0;
  private readonly fitnessDecay: number;
  private readonly fatigueDecay: number;

  constructor(
    private readonly capacity: number,
    fitnessTau: number,
    fatigueTau: number,
    private readonly fitnessGain: number,
    private readonly fatigueGain: number,
  ) {
    this.fitnessDecay = Math.exp(-1 / fitnessTau);
    this.fatigueDecay = Math.exp(-1 / fatigueTau);
  }

  addDay(load: number): void {
    this.fitness = this.fitness * this.fitnessDecay + load;
    this.fatigue = this.fatigue * this.fatigueDecay + load;
  }

  fitnessLevel(): number {
    return (this.fitness * (1 - this.fitnessDecay)) / this.capacity;
  }

  fatigueLevel(): number {
    return (this.fatigue * (1 - this.fatigueDecay)) / this.capacity;
  }

  /** Classic Banister performance: gain-weighted sums of load (in multiples of capacity), fitness minus fatigue. */
  performance(): number {
    return (this.fitnessGain * this.fitness - this.fatigueGain * this.fatigue) / this.capacity;
  }

  /**
   * Banister performance (gain-weighted fitness minus fatigue) relative to its value when training
   * steadily at capacity: 0 = usual, negative = more fatigued than fit, positive = fresh.
   */
  formDeviation(): number {
    return this.fitnessGain * (this.fitnessLevel() - 1) - this.fatigueGain * (this.fatigueLevel() - 1);
  }
}
