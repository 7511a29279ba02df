// PROFILE=1 in the figure tools: Chromium's profiler and trace around one measured run, then
// the functions with most self time and the browser's own work (style, layout, paint, GC) by
// event. On a release build wasm functions have no names (wasm-opt drops them): read the trace's
// split between script and rendering there, or build once with `wasm-opt-features = ["-Oz", "-g",
// "--enable-bulk-memory", "--enable-nontrapping-float-to-int"]` under `[[workspace.metadata.leptos]]`
// (not to commit: it keeps names in what tablets download) for release speed with names.

import { writeFileSync } from 'node:fs';

export const profiling = process.env.PROFILE === '1';

export async function startProfile(cdp) {
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,v8.execute,disabled-by-default-devtools.timeline', transferMode: 'ReturnAsStream' });
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
}

export async function printProfile(cdp, what) {
  const { profile } = await cdp.send('Profiler.stop');
  // PROFILE_OUT=dir keeps each whole profile (DevTools opens it) for a closer look.
  if (process.env.PROFILE_OUT) {
    const file = `${process.env.PROFILE_OUT}/${what.replace(/[^a-z0-9]+/gi, '-')}-${Date.now()}.cpuprofile`;
    writeFileSync(file, JSON.stringify(profile));
    console.log(`profile kept in ${file}`);
  }
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const gaps = profile.timeDeltas;
  profile.samples.forEach((id, k) => {
    const f = byId.get(id).callFrame;
    const name = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}`;
    self.set(name, (self.get(name) ?? 0) + (gaps[k] ?? 0) / 1000);
  });
  const byFile = new Map();
  profile.samples.forEach((id, k) => {
    const f = byId.get(id).callFrame;
    const file = f.url.split('/').pop() || (f.functionName.startsWith('(') ? f.functionName : 'browser (DOM, storage)');
    byFile.set(file, (byFile.get(file) ?? 0) + (gaps[k] ?? 0) / 1000);
  });
  console.log(`profile of ${what}, self time by file:`);
  for (const [file, ms] of [...byFile.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8)) {
    console.log(`  ${ms.toFixed(1).padStart(7)} ms  ${file}`);
  }
  console.log(`profile of ${what}, most self time:`);
  for (const [name, ms] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 20)) {
    console.log(`  ${ms.toFixed(1).padStart(7)} ms  ${name}`);
  }
  const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.end');
  const { stream } = await done;
  let text = '';
  for (;;) {
    const chunk = await cdp.send('IO.read', { handle: stream });
    text += chunk.data;
    if (chunk.eof) break;
  }
  const events = JSON.parse(text).traceEvents ?? JSON.parse(text);
  if (process.env.PROFILE_OUT) {
    const file = `${process.env.PROFILE_OUT}/${what.replace(/[^a-z0-9]+/gi, '-')}-${Date.now()}.trace.json`;
    writeFileSync(file, JSON.stringify(events));
    console.log(`trace kept in ${file}`);
  }
  const main = new Map();
  for (const e of events) {
    if (e.ph === 'X' && e.dur) main.set(e.name, (main.get(e.name) ?? 0) + e.dur / 1000);
  }
  console.log(`trace of ${what}, total duration by event (nested events counted in each):`);
  for (const [name, ms] of [...main.entries()].sort((a, b) => b[1] - a[1]).slice(0, 20)) {
    console.log(`  ${ms.toFixed(1).padStart(7)} ms  ${name}`);
  }
}
