// The error raised for a configuration that cannot be used; it names the file and the JSON path.

/** A configuration problem: `source` is the file (or `flags`/`env`), `path` the JSON path of the bad key. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** Where the bad value came from: a file path, `flags` or `environment`. */
  readonly source: string;
  /** JSON path of the bad key, e.g. `backends[1].url`; empty for the whole document. */
  readonly path: string;

  /** Builds the error; the message reads `source: path: problem`. */
  constructor(source: string, path: string, problem: string) {
    super(`${source}: ${path === '' ? '' : path + ': '}${problem}`);
    this.source = source;
    this.path = path;
  }
}
