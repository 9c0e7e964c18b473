/**
 * `${VAR}` and `${VAR:-default}` interpolation over a parsed YAML tree. It runs on values
 * (never on raw text) so that a secret containing YAML syntax cannot change the document,
 * and so that a missing variable can be reported with the key that needs it.
 */
const PATTERN = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export interface InterpolationProblem {
  path: string;
  variable: string;
}

export function interpolateEnv(
  value: unknown,
  env: NodeJS.ProcessEnv,
  problems: InterpolationProblem[] = [],
  path: string[] = [],
): unknown {
  if (typeof value === 'string') {
    // A value that is exactly one unset `${VAR}` becomes undefined, so optional keys stay optional.
    const whole = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(value);
    if (whole && env[whole[1]!] === undefined) return undefined;
    return value.replace(PATTERN, (_match, name: string, fallback: string | undefined) => {
      const found = env[name];
      if (found !== undefined && found !== '') return found;
      if (fallback !== undefined) return fallback;
      problems.push({ path: path.join('.'), variable: name });
      return '';
    });
  }
  if (Array.isArray(value)) {
    return value.map((item, index) => interpolateEnv(item, env, problems, [...path, String(index)]));
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const resolved = interpolateEnv(item, env, problems, [...path, key]);
      if (resolved !== undefined) out[key] = resolved;
    }
    return out;
  }
  return value;
}
