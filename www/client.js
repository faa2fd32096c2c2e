// The page's side of a training worker: requests as promises, frames as callbacks, and a frame
// pump that asks for the next frame only after the last one was drawn (one in flight at most).

export class RunClient {
  /**
   * A worker; `onFrame(bytes, readout)` draws, `onStopped(error, readout)` reports a stop. With
   * `onStuck(reason)`, a request made while training that the worker does not even acknowledge
   * for `patience()` milliseconds (it is inside one long step) replaces the worker by a fresh one
   * and calls `onStuck` with the reason, which the request fails with too.
   */
  constructor({ onFrame, onStopped, onStuck = null, patience = () => 2000 }) {
    this.onFrame = onFrame;
    this.onStopped = onStopped;
    this.onStuck = onStuck;
    this.patience = patience;
    this.spawn();
  }

  spawn() {
    this.worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    this.pending = new Map();
    this.nextId = 1;
    this.inFlight = false;
    this.pumping = false;
    // how many messages the worker has sent (it acknowledges each request on receipt): a
    // worker inside one long step sends none
    this.heard = 0;
    this.worker.onmessage = ({ data }) => { this.heard += 1; this.receive(data); };
    this.worker.onerror = (e) => {
      const text = `the training worker failed: ${e.message}`;
      for (const { reject } of this.pending.values()) reject(new Error(text));
      this.pending.clear();
      this.onStopped(text, null);
    };
  }

  /** Stop a worker stuck in a step: its requests fail, a fresh worker takes its place. */
  replace(waited) {
    const reason = `A training step ran for more than ${waited.toFixed(0)} s and was stopped: the run reopens at step 0 with its settings`;
    this.terminate(reason);
    this.spawn();
    this.onStuck(reason);
  }

  receive(data) {
    if (data.event === 'ack') return;
    if (data.event === 'frame') {
      this.inFlight = false;
      this.onFrame(data.bytes, data.readout);
      if (this.pumping) requestAnimationFrame(() => this.requestFrame());
    } else if (data.event === 'stopped') {
      this.pumping = false;
      // a frame asked for before the stop may never be sent: ask afresh from now on
      this.inFlight = false;
      this.onStopped(data.error, data.readout);
    } else if (this.pending.has(data.id)) {
      const { resolve, reject } = this.pending.get(data.id);
      this.pending.delete(data.id);
      if ('error' in data) reject(new Error(data.error)); else resolve(data.ok);
    }
  }

  /** Send request `op` with `args`; resolves with the worker's answer or rejects with its message. */
  call(op, args = {}) {
    // a new run starts paused: no frames until it plays
    if (op === 'open') this.pumping = false;
    const id = this.nextId++;
    const watch = this.onStuck && op !== 'frame' && (this.pumping || op === 'step');
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, op, ...args });
      if (!watch) return;
      const [heard, wait] = [this.heard, this.patience()];
      setTimeout(() => {
        if (this.pending.has(id) && this.heard === heard) this.replace(wait / 1000);
      }, wait);
    });
  }

  /** Ask for a frame unless one is on its way. */
  requestFrame() {
    if (this.inFlight) return;
    this.inFlight = true;
    this.call('frame').catch(() => { this.inFlight = false; });
  }

  /** Start training (until `steps` steps when given) with frames at the display's pace. */
  async play(steps) {
    const r = await this.call('play', steps === undefined ? {} : { steps });
    this.pumping = true;
    this.requestFrame();
    return r;
  }

  async pause() {
    // asked while training, so a pause that goes unanswered is watched
    const answer = this.call('pause');
    this.pumping = false;
    return answer;
  }

  terminate(reason = 'closed') {
    this.worker.terminate();
    for (const { reject } of this.pending.values()) reject(new Error(reason));
    this.pending.clear();
  }
}
