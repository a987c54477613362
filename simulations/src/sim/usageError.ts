/** Bad input to the simulator: reported with exit code 2, never as a crash. */
export class SimUsageError extends Error {
  override name = 'SimUsageError';
}
