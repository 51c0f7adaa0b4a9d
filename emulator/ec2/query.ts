import { invalidValue } from './errors';

/**
 * The EC2 Query protocol's flattened parameters (`IpPermissions.1.IpRanges.2.CidrIp=…`), with
 * accessors for the three shapes EC2 uses: scalars, `Name.N` lists and `Name.N.Member` structs.
 */
export class QueryParams {
  constructor(private readonly values: ReadonlyMap<string, string>) {}

  static parse(body: string): QueryParams {
    return new QueryParams(new Map(new URLSearchParams(body)));
  }

  get(name: string): string | undefined {
    return this.values.get(name);
  }

  has(name: string): boolean {
    return this.values.has(name) || [...this.values.keys()].some((k) => k.startsWith(`${name}.`));
  }

  int(name: string): number | undefined {
    const raw = this.values.get(name);
    if (raw === undefined) return undefined;
    if (!/^-?\d+$/.test(raw.trim())) throw invalidValue(name, raw, 'Expecting an integer.');
    return Number(raw);
  }

  /** `Name.1`, `Name.2`, … in index order (EC2 orders by index, not by position in the body). */
  list(name: string): string[] {
    return this.indexed(name)
      .filter(([, rest]) => rest.size === 1 && rest.has(''))
      .map(([, rest]) => rest.get('') as string);
  }

  /** `Name.N.Member…` groups, each as its own QueryParams, in index order. */
  structs(name: string): QueryParams[] {
    return this.indexed(name).map(([, rest]) => new QueryParams(rest));
  }

  private indexed(name: string): Array<[number, Map<string, string>]> {
    const groups = new Map<number, Map<string, string>>();
    const prefix = `${name}.`;
    for (const [key, value] of this.values) {
      if (!key.startsWith(prefix)) continue;
      const m = /^(\d+)(?:\.(.*))?$/.exec(key.slice(prefix.length));
      if (!m) continue;
      const index = Number(m[1]);
      const rest = groups.get(index) ?? new Map<string, string>();
      rest.set(m[2] ?? '', value);
      groups.set(index, rest);
    }
    return [...groups.entries()].sort((a, b) => a[0] - b[0]);
  }
}
