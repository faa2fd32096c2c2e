// The page's side of a training worker: requests as promises, frames as callbacks, and a frame
// pump that asks for the next frame only after the last one was drawn (one in flight at most).

export class RunClient {
  /**
   * A worker; `onFrame(bytes, readout)` draws, `onStopped(error, readout)` reports a stop. With
   * `onStuck(seconds, stop)`, a request still unanswered after `patience()` milliseconds because
   * the worker is inside one long training step is reported, with `stop()` to replace the worker
   * by a fresh one (pending requests then fail); `onStuck(null)` withdraws the report once the
   * worker is heard from again.
   */
  constructor({ onFrame, onStopped, onStuck = null, patience = () => 2000 }) {
    this.onFrame = onFrame;
    this.onStopped = onStopped;
    this.onStuck = onStuck;
    this.patience = patience;
    this.nextId = 1;
    this.spawn();
  }

  spawn() {
    const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    this.worker = worker;
    this.pending = new Map();
    this.inFlight = false;
    this.pumping = false;
    this.stuck = false;
    worker.onmessage = ({ data }) => {
      if (this.worker !== worker) return;
      if (this.stuck) {
        this.stuck = false;
        this.onStuck(null);
      }
      this.receive(data);
    };
    worker.onerror = (e) => {
      const text = `the training worker failed: ${e.message}`;
      for (const { reject } of this.pending.values()) reject(new Error(text));
      this.pending.clear();
      this.onStopped(text, null);
    };
  }

  /**
   * Look at request `id` after `patience()`: unanswered and not yet received (the worker is inside
   * a training slice), or a `step` received and still running, while no other received request is
   * being handled (that would be a slow request, not a step), the worker is stuck in a step.
   */
  watch(id) {
    const worker = this.worker;
    const wait = this.patience();
    setTimeout(() => {
      const p = this.pending.get(id);
      if (this.worker !== worker || !p || (p.acked && p.op !== 'step')) return;
      const busy = [...this.pending.values()].some((q) => q !== p && q.acked && q.op !== 'step');
      if (busy || this.stuck) { this.watch(id); return; }
      this.stuck = true;
      this.onStuck(wait / 1000, () => { if (this.worker === worker) this.replace(); });
    }, wait);
  }

  /** Replace a worker stuck in a step by a fresh one; its pending requests fail. */
  replace() {
    this.terminate('the run was stopped inside a long training step');
    this.spawn();
  }

  receive(data) {
    if (data.event === 'ack') {
      const p = this.pending.get(data.id);
      if (p) p.acked = true;
      return;
    }
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
    // only a worker that trains can be inside a step (not one still loading, say)
    const training = this.pumping || op === 'step' || [...this.pending.values()].some((q) => q.op === 'step');
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, op, acked: false });
      this.worker.postMessage({ id, op, ...args });
      if (this.onStuck && op !== 'frame' && training) this.watch(id);
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
    // asked while training: watched
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
