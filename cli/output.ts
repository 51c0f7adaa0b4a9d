/**
 * Where everything the CLI prints goes. With `--json`, stdout carries exactly one JSON document and
 * everything else goes to stderr. Without it, stdout carries tables and colour on a TTY, and plain
 * tab-separated lines when piped, so `cut` and `grep` work on it.
 */

export interface Stream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
}

/** The process's side of the CLI, injectable so `main(argv, io)` runs in-process in tests. */
export interface CliIo {
  readonly stdout: Stream;
  readonly stderr: Stream;
  readonly cwd: string;
  /** For NO_COLOR, AWS_REGION, AWS_ENDPOINT_URL_EC2; yargs' `.env('CFGUARD')` reads process.env itself. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

export function processIo(): CliIo {
  return { stdout: closable(process.stdout), stderr: closable(process.stderr), cwd: process.cwd(), env: process.env };
}

/**
 * A process stream whose reader may go away (`cfguard drift | head -1`): EPIPE, or any other write
 * error, silences the stream instead of crashing the process with a stack, so the run ends quietly
 * with the exit code it would have had, as `terraform plan -detailed-exitcode | head` keeps 2.
 */
export function closable(stream: NodeJS.WriteStream): Stream {
  let closed = false;
  stream.on('error', () => {
    closed = true;
  });
  return {
    isTTY: stream.isTTY,
    write: (chunk: string) => !closed && stream.write(chunk),
  };
}

type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan';
const ANSI: Record<Style, [number, number]> = { bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39], cyan: [36, 39] };

export class Output {
  readonly json: boolean;
  readonly debugging: boolean;
  /** Tables print their header line (piped too, so columns stay labelled). */
  private readonly header: boolean;
  /** Aligned tables: stdout is a terminal and not `--json`. */
  readonly rich: boolean;
  /** Colour on stdout: tables, and NO_COLOR unset. */
  private readonly colourOut: boolean;
  private readonly colourErr: boolean;

  constructor(
    private readonly io: CliIo,
    opts: { json: boolean; debug: boolean; header?: boolean },
  ) {
    this.json = opts.json;
    this.debugging = opts.debug;
    this.header = opts.header ?? true;
    const noColor = io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '';
    this.rich = !opts.json && io.stdout.isTTY === true;
    this.colourOut = this.rich && !noColor;
    this.colourErr = io.stderr.isTTY === true && !noColor;
  }

  /** `text` in `style` where that stream shows colour; without a style, as it is. */
  paint(style: Style | undefined, text: string, stream: 'out' | 'err' = 'out'): string {
    const on = stream === 'out' ? this.colourOut : this.colourErr;
    return on && style ? `\u001b[${ANSI[style][0]}m${text}\u001b[${ANSI[style][1]}m` : text;
  }

  /** Progress of long work (fetching the document, each target): stderr, so stdout stays clean. */
  progress(message: string): void {
    this.io.stderr.write(`${this.paint('dim', `cfguard: ${message}`, 'err')}\n`);
  }

  warn(message: string): void {
    this.io.stderr.write(`${this.paint('yellow', 'warning', 'err')}: ${message}\n`);
  }

  debug(message: string): void {
    if (this.debugging) this.io.stderr.write(`${this.paint('dim', `debug: ${message}`, 'err')}\n`);
  }

  /** The command's one JSON document (only in `--json` mode). */
  document(doc: object): void {
    this.io.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  }

  line(text = ''): void {
    this.io.stdout.write(`${text}\n`);
  }

  /** One row printed as it happens (a table cannot wait for its widths): two spaces apart on a TTY, tabs when piped. */
  row(cells: readonly string[], style?: Style, styledColumn = 0): void {
    if (!this.rich) return this.line(cells.join('\t'));
    this.line(`  ${cells.map((c, i) => this.paint(i === styledColumn ? style : undefined, c)).join('  ')}`);
  }

  /**
   * Rows on stdout: aligned columns under a bold header on a TTY; tab-separated when piped, under the
   * same header tab-separated (`cfguard ranges | cat` still tells IPV4 from IPV6), which `--no-header`
   * drops. `styles` colours whole cells on a TTY (e.g. red for a missing rule).
   */
  table(headers: readonly string[], rows: ReadonlyArray<readonly string[]>, styles?: (row: readonly string[], column: number) => Style | undefined): void {
    if (!this.rich) {
      if (this.header) this.line(headers.join('\t'));
      for (const row of rows) this.line(row.join('\t'));
      return;
    }
    const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const pad = (cells: readonly string[], paint: (cell: string, i: number) => string) => cells.map((c, i) => paint(i === cells.length - 1 ? c : c.padEnd(widths[i]), i)).join('  ');
    if (this.header) this.line(pad(headers, (c) => this.paint('bold', c)));
    for (const row of rows) this.line(pad(row, (c, i) => this.paint(styles?.(row, i), c)));
  }
}
