import { fileURLToPath } from 'node:url';

/**
 * The repository root (this file lives in `scripts/lib/`). A module of its own, so that code which needs only the
 * root (the fake's generator thread) does not load Redocly with `apis.ts`.
 */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
