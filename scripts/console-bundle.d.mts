/** Types of console-bundle.mjs, for the TypeScript that imports it. */
export declare const CONSOLE_ENTRY: string
export declare function bundleConsole (outfile?: string): Promise<string | undefined>
