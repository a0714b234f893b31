/** Types of server-bundle.mjs, for the TypeScript that imports it. */
export declare const SERVER_OUTDIR: string
export declare function bundleServer (outdir?: string): Promise<void>
