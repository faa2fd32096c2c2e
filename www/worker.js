// A training run in a Web Worker: the wasm core trains in short slices between messages, so the
// page's main thread only draws the frames this worker posts (at most one per request).
import { Run } from '../pkg/otlab.js';
import { loadCore } from './wasm.js';
import { messageOf } from './errors.js';

const ready = loadCore();
let wasm = null;
ready.then((exports) => { wasm = exports; });
let run = null;
let playing = false;
// steps to stop at (the compare view advances its panels to equal steps)
let until = Infinity;
let wantFrame = false;
// milliseconds of training per slice: short enough that a pause or a new setting is handled
// within a few frames
const SLICE_MS = 20;
const tick = new MessageChannel();

const readout = () => JSON.parse(run.readout());

function sendFrame() {
  wantFrame = false;
  const bytes = run.frame();
  self.postMessage({ event: 'frame', bytes, readout: readout() }, [bytes.buffer]);
}

function stop(error) {
  playing = false;
  let r = null;
  try {
    run.pause();
    r = readout();
  } catch { /* the stop is reported even if the run cannot describe itself */ }
  self.postMessage({ event: 'stopped', error: error ? messageOf(error) : null, readout: r });
}

tick.port1.onmessage = () => {
  if (!playing || !run) return;
  try {
    run.train(SLICE_MS, until);
    if (run.steps >= until) {
      stop(null);
      sendFrame();
      return;
    }
    if (wantFrame) sendFrame();
  } catch (e) {
    stop(e);
    return;
  }
  tick.port2.postMessage(0);
};

const ops = {
  open({ query }) {
    if (run) run.free();
    playing = false;
    run = new Run(query);
    // a frame asked of the old run comes from the new one: the client is waiting for it
    if (wantFrame) sendFrame();
    return { warnings: run.warnings(), readout: readout() };
  },
  play({ steps }) {
    until = steps ?? Infinity;
    if (!playing) {
      playing = true;
      tick.port2.postMessage(0);
    }
    return readout();
  },
  pause() {
    if (playing) stop(null);
    // a frame asked for while training is sent now, so the client's pump is not left waiting
    if (wantFrame) sendFrame();
    return readout();
  },
  step({ phase }) { run.step(phase); return readout(); },
  reset() { run.reset(); return readout(); },
  set({ key, value }) { return { rebuilt: run.set(key, value), readout: readout() }; },
  estimate({ key, value }) { return run.estimateSeconds(key, value); },
  layers({ list }) { run.setLayers(list); return true; },
  frame() {
    wantFrame = true;
    if (!playing) sendFrame();
    return true;
  },
  points({ side, csv }) { run.setPoints(side, csv); return { readout: readout() }; },
  exportCsv({ what }) { return run.exportCsv(what); },
  save() { return run.saveParams(); },
  load({ text }) { const steps = run.loadParams(text); return { readout: readout(), steps }; },
  memory() { return wasm.memory.buffer.byteLength; },
};

self.onmessage = async ({ data }) => {
  const { id, op } = data;
  // received: the page knows this worker is not stuck inside a step, however long the request takes
  self.postMessage({ event: 'ack', id });
  await ready;
  try {
    if (!ops[op]) throw new Error(`unknown request ${op}`);
    if (!run && op !== 'open') throw new Error('no run is open');
    self.postMessage({ id, ok: ops[op](data) });
  } catch (e) {
    self.postMessage({ id, error: messageOf(e) });
  }
};
