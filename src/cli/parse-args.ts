import { parseArgs, type ParseArgsConfig } from 'node:util';
import { PRODUCT } from '../core/product';
import { UsageError } from './exit';

/**
 * Command options through Node's own parser (util.parseArgs): `--name VALUE`, `--name=VALUE`, short aliases,
 * flags, `--` before positional arguments. Anything unknown or malformed is a UsageError that names it and
 * says where the options are listed.
 */

export interface OptionSpec {
  /** Options that take a value; `repeat` ones may be given several times (`--to a --to b`, or `--to a b`). */
  values?: Record<string, { repeat?: boolean; short?: string }>;
  flags?: Record<string, { short?: string }>;
}

export interface ParsedOptions {
  values: Map<string, string[]>;
  flags: Set<string>;
  positional: string[];
}

/** `--to a b` means `--to a --to b` for repeatable options: people list several reviewers after one flag. */
function expandRepeats(args: readonly string[], spec: OptionSpec): string[] {
  const repeat = new Set(
    Object.entries(spec.values ?? {})
      .filter(([, s]) => s.repeat)
      .map(([name]) => `--${name}`),
  );
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    out.push(arg);
    if (arg === '--') return [...out, ...args.slice(i + 1)];
    if (!repeat.has(arg)) continue;
    if (i + 1 < args.length) out.push(args[++i]!);
    while (i + 1 < args.length && !args[i + 1]!.startsWith('-')) out.push(arg, args[++i]!);
  }
  return out;
}

export function parseOptions(
  command: string,
  args: readonly string[],
  spec: OptionSpec,
  allowPositional = false,
): ParsedOptions {
  const hint = `run '${PRODUCT.cli} ${command} --help' for the options`;
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, s] of Object.entries(spec.values ?? {}))
    options[name] = { type: 'string', multiple: true, ...(s.short ? { short: s.short } : {}) };
  for (const [name, s] of Object.entries(spec.flags ?? {}))
    options[name] = { type: 'boolean', ...(s.short ? { short: s.short } : {}) };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: expandRepeats(args, spec), options, strict: true, allowPositionals: true });
  } catch (error) {
    const message = (error as Error).message
      .replace(/\s*\n\s*/g, ' ')
      .replace(/\. To specify a positional argument.*$/s, '')
      .replace(/^Unknown option '([^']+)'.*$/s, 'unknown option $1');
    throw new UsageError(`${message}; ${hint}`);
  }
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  for (const [name, value] of Object.entries(parsed.values)) {
    if (typeof value === 'boolean') {
      if (value) flags.add(name);
      continue;
    }
    const list = (value as string[] | undefined) ?? [];
    if (list.some(v => v === '')) throw new UsageError(`--${name} needs a value; ${hint}`);
    if (list.length > 1 && !spec.values?.[name]?.repeat) throw new UsageError(`--${name} is given twice; give it once`);
    values.set(name, list);
  }
  if (!allowPositional && parsed.positionals.length > 0) {
    throw new UsageError(
      `${command} takes no arguments besides its options (got ${parsed.positionals.map(p => JSON.stringify(p)).join(' ')}); ${hint}`,
    );
  }
  return { values, flags, positional: parsed.positionals };
}

export function single(parsed: ParsedOptions, name: string): string | undefined {
  return parsed.values.get(name)?.[0];
}

/** A revision given on the command line: refuse what git would read as an option. */
export function revision(value: string | undefined, option: string): string | undefined {
  if (value === undefined) return undefined;
  if (value.startsWith('-')) throw new UsageError(`${option} takes a revision, not "${value}"`);
  return value;
}
