// Weft sandbox prelude: runs in each fresh context before the guest's code and returns the runner
// that calls the guest's main(inputs). The boundary is the context (no host access, no I/O, no
// threads, no polyglot) and the worker process; this only removes globals that lead nowhere.
(function () {
  const parse = JSON.parse;
  const stringify = JSON.stringify;
  const isArray = Array.isArray;
  const g = globalThis;
  for (const name of ['Java', 'Packages', 'java', 'javax', 'com', 'org', 'edu', 'net', 'Polyglot', 'Graal',
                      'load', 'loadWithNewGlobal', 'print', 'printErr', 'quit', 'exit', 'read', 'readline',
                      'readbuffer']) {
    try { delete g[name]; } catch (e) { /* not configurable */ }
  }
  return function (main, inputsJson) {
    if (typeof main !== 'function') {
      throw new TypeError('weft-sandbox: the code must define a function main');
    }
    const out = main(parse(inputsJson));
    if (out === null || typeof out !== 'object' || isArray(out)) {
      throw new TypeError('weft-sandbox: main must return an object');
    }
    if (typeof out.then === 'function') {
      throw new TypeError('weft-sandbox: main must return an object, not a promise');
    }
    return stringify(out);
  };
})()
