/**
 * Kernels used by worker-pool.spec.ts: a pool test needs real kernel modules that workers can
 * load by path (a function defined inside a test file cannot cross threads).
 */
export interface SquareContext {
  readonly [key: string]: Float64Array;
  readonly input: Float64Array;
  readonly output: Float64Array;
}

/** output[i] = input[i]²; returns the block's sum of squares. */
export function squareInto(ctx: SquareContext, start: number, end: number): number {
  let sum = 0;
  for (let i = start; i < end; i++) {
    const v = ctx.input[i] * ctx.input[i];
    ctx.output[i] = v;
    sum += v;
  }
  return sum;
}

/** Writes the block index of each row: shows which block covered which rows. */
export function recordBlock(ctx: { readonly blocks: Int32Array }, start: number, end: number, block: number): void {
  for (let i = start; i < end; i++) ctx.blocks[i] = block;
}

/** Throws on the row `badRow`. */
export function failOnRow(ctx: { readonly badRow: number }, start: number, end: number): void {
  if (ctx.badRow >= start && ctx.badRow < end) throw new Error(`row ${ctx.badRow} is bad`);
}

/** Spins for `ms` milliseconds per block: a slow run to abort. */
export function spin(ctx: { readonly ms: number }): void {
  const until = Date.now() + ctx.ms;
  while (Date.now() < until) {
    // busy on purpose
  }
}
