/** One of the two commits a pull request (or `helmfile-hydrate diff`) compares: its base, or its head. */
export type Side = 'base' | 'head';
