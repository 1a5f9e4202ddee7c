/**
 * Preloaded into the portal's server by the bench only (`node --expose-gc --require …`): on
 * SIGUSR2 it collects garbage and prints the process's memory on stderr, one tagged JSON line,
 * so the bench can compare live memory before and after a load without guessing at GC timing.
 */
process.on('SIGUSR2', () => {
  if (typeof global.gc === 'function') global.gc();
  process.stderr.write(`[bench-memory] ${JSON.stringify(process.memoryUsage())}\n`);
});
