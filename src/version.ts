// The package version, read once from package.json so --version and nexus_build_info never drift.

import { readFileSync } from 'node:fs';

/** Version of this build of Nexus. */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
