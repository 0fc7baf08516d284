// @ts-check
// Types shared by the runner emulator's modules (re-exported by sandbox/runner.mjs).

/**
 * @typedef {{ requestUrl: string, requestToken: string }} IdToken
 * @typedef {Record<string, string | number | boolean | undefined>} Inputs
 * @typedef {{
 *   actionDir: string,
 *   phase: 'main' | 'post',
 *   with?: Inputs,
 *   env?: Record<string, string | undefined>,
 *   idToken?: IdToken,
 *   state?: Record<string, string>,
 *   debug?: boolean,
 *   nodePath?: string,
 *   workDir?: string,
 *   keepWorkDir?: boolean,
 *   secrets?: string[] | (() => string[]),
 *   recordDocker?: boolean,
 *   measureRss?: boolean,
 *   timeoutMs?: number,
 *   toolCache?: string,
 * }} StepOptions
 * @typedef {{ message: string, properties: Record<string, string> }} Annotation
 * @typedef {{ error: Annotation[], warning: Annotation[], notice: Annotation[] }} Annotations
 * @typedef {{ argv: string[], stdinBytes: number | null, exitCode: number | null }} DockerCall
 * @typedef {{ where: string, secret: string, kind: string, detail: string }} Leak
 * @typedef {{ stream: 'stdout' | 'stderr', text: string, addMask: boolean }} PrintedLine
 * @typedef {{
 *   phase: 'main' | 'post', exitCode: number, signal: string | null, timedOut: boolean,
 *   durationMs: number, peakRssKb?: number, stdout: string, stderr: string,
 *   lines: string[], stderrLines: string[], printed: PrintedLine[], outputs: Record<string, string>,
 *   state: Record<string, string>, exportedEnv: Record<string, string>, path: string[],
 *   summary: string, annotations: Annotations, debugLines: string[], groups: string[],
 *   masks: string[], failed: boolean, dockerCalls: DockerCall[], leaks: Leak[],
 *   env: Record<string, string>, workDir: string,
 * }} StepResult
 * @typedef {{
 *   using: string, main: string, post?: string, postIf: string,
 *   inputs: { name: string, default?: unknown, deprecationMessage?: string }[],
 * }} ActionDef
 */

export {};
