// The synthetic store and policy the planning benchmarks share (bench/plan.mjs, bench/plan-pairs.mjs).

/** Internal mode with a Harbor location: every family has three members (origin, `localhost/` twin, Harbor). */
export const policy = {
  mode: 'internal',
  harbor: { registry: 'harbor.corp.local', project: 'proj' },
  harborLayout: 'path',
  shortNames: false,
  onConflict: 'report',
  harborTags: false,
};

/**
 * A store of `names` names (or one or two more) shaped like a busy build host: every image is one repository:tag,
 * named in one of five ways (origin only, `localhost/` twin only, both, the Harbor copy only, all three), with a
 * few conflicts (the twin on another image). Names are spelled as `docker images` prints them.
 */
export const buildSnapshot = (names) => {
  const images = [];
  let count = 0;
  for (let i = 0; count < names; i++) {
    const repo = i % 3 === 0 ? `app${i}` : `team${i % 997}/app${i}`;
    const tag = `1.${i % 13}`;
    const origin = `${repo}:${tag}`;
    const twin = `localhost/${repo}:${tag}`;
    const harbor = `harbor.corp.local/proj/${repo}:${tag}`;
    const shape = i % 5;
    const own = shape === 0 ? [origin] : shape === 1 ? [twin] : shape === 2 ? [origin, twin] : shape === 3 ? [harbor] : [harbor, origin, twin];
    const id = `sha256:${i.toString(16).padStart(64, '0')}`;
    if (i % 50 === 7 && own.length > 1) {
      // a stale twin left on an older image: a conflict the plan must report
      images.push({ id, names: own.slice(0, 1) });
      images.push({ id: `sha256:${(i + 0x10000000).toString(16).padStart(64, '0')}`, names: own.slice(1) });
    } else {
      images.push({ id, names: own });
    }
    count += own.length;
  }
  // Through JSON, as `imgalias` reads a snapshot file or an engine's listing: the names above are template
  // literals, which V8 keeps as ropes (a string of two parts) until something flattens them, and the first plan
  // would pay for flattening a million of them, which a caller's plan never does.
  const snapshot = JSON.parse(JSON.stringify({ version: 1, images }));
  return { snapshot, names: snapshot.images.flatMap((image) => image.names) };
};
