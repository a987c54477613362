/**
 * Turns papaparse's record end offsets into the line where each record starts. Offsets must be fed in increasing order;
 * total work is linear in the text length.
 */
export class LineLocator {
  private readonly text: string;
  private readonly linebreak: string;
  private breaks = 0;
  private next: number;

  constructor(text: string, linebreak: string) {
    this.text = text;
    this.linebreak = linebreak;
    this.next = linebreak === '' ? -1 : text.indexOf(linebreak);
  }

  /**
   * 1-based line where a record starts. `end` is the offset just past the record (and its line break, if any);
   * `cells` are its parsed cells, whose embedded line breaks are lines the record spans; `terminated` is false for a
   * record that runs to the end of the text (last line, or an unterminated quote that swallowed the rest).
   */
  startLine(end: number, cells: readonly string[], terminated: boolean): number {
    let embedded = 0;
    for (const cell of cells) embedded += this.count(cell);
    return 1 + this.breaksBefore(end) - embedded - (terminated ? 1 : 0);
  }

  /** Whether a line break ends exactly at `end`. */
  endsWithBreak(end: number): boolean {
    const length = this.linebreak.length;
    return length > 0 && end >= length && this.text.startsWith(this.linebreak, end - length);
  }

  private breaksBefore(end: number): number {
    const length = this.linebreak.length;
    while (this.next !== -1 && this.next + length <= end) {
      this.breaks++;
      this.next = this.text.indexOf(this.linebreak, this.next + length);
    }
    return this.breaks;
  }

  private count(cell: string): number {
    const length = this.linebreak.length;
    if (length === 0) return 0;
    let n = 0;
    for (let at = cell.indexOf(this.linebreak); at !== -1; at = cell.indexOf(this.linebreak, at + length)) n++;
    return n;
  }
}
