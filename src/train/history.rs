//! Bounded run history: loss curves, evaluations and trails that stay within a fixed size however
//! long a run goes (older stretches are kept at coarser resolution), so memory and the cost of
//! reading or charting them do not grow with the step count.

/// Most points kept per loss curve.
pub const CURVE_POINTS: usize = 512;

/// A curve of (step, value): every value is averaged into bins whose width doubles each time the
/// curve fills up, so it always spans the whole run in at most `CURVE_POINTS` points.
#[derive(Debug, Clone)]
pub struct Curve {
    /// The quantity's name.
    pub name: &'static str,
    points: Vec<(f64, f64)>,
    /// Values averaged per point.
    bin: usize,
    /// The bin being filled: (sum of steps, sum of values, count).
    open: (f64, f64, usize),
    first: Option<f64>,
}

impl Curve {
    /// An empty curve.
    pub fn new(name: &'static str) -> Curve {
        Curve { name, points: Vec::new(), bin: 1, open: (0.0, 0.0, 0), first: None }
    }

    /// Add the value at `step`.
    pub fn push(&mut self, step: f64, value: f64) {
        self.first.get_or_insert(value);
        self.open = (self.open.0 + step, self.open.1 + value, self.open.2 + 1);
        if self.open.2 < self.bin {
            return;
        }
        let (s, v, n) = self.open;
        self.points.push((s / n as f64, v / n as f64));
        self.open = (0.0, 0.0, 0);
        if self.points.len() >= CURVE_POINTS {
            self.points = self.points.chunks(2).map(mean_point).collect();
            self.bin *= 2;
        }
    }

    /// The points, the bin being filled included.
    pub fn points(&self) -> Vec<(f64, f64)> {
        let mut out = self.points.clone();
        let (s, v, n) = self.open;
        if n > 0 {
            out.push((s / n as f64, v / n as f64));
        }
        out
    }

    /// The first value recorded.
    pub fn first(&self) -> Option<f64> {
        self.first
    }

    /// The most recent value's bin average (the last point).
    pub fn last(&self) -> Option<f64> {
        self.points().last().map(|p| p.1)
    }
}

fn mean_point(c: &[(f64, f64)]) -> (f64, f64) {
    let n = c.len() as f64;
    (c.iter().map(|p| p.0).sum::<f64>() / n, c.iter().map(|p| p.1).sum::<f64>() / n)
}

/// A list that keeps its first entry and thins the rest to every other one whenever it exceeds
/// `cap`, so it covers the whole run at a resolution that halves as the run doubles.
#[derive(Debug, Clone)]
pub struct Thinned<T> {
    items: Vec<T>,
    cap: usize,
    /// Keep one in this many new entries (doubles at each thinning).
    stride: usize,
    offered: usize,
}

impl<T> Thinned<T> {
    /// An empty list of at most `cap` (≥ 4) entries.
    pub fn new(cap: usize) -> Thinned<T> {
        Thinned { items: Vec::new(), cap: cap.max(4), stride: 1, offered: 0 }
    }

    /// Offer an entry; it is kept if it falls on the current stride.
    pub fn push(&mut self, item: T) {
        self.offered += 1;
        if !(self.offered - 1).is_multiple_of(self.stride) {
            return;
        }
        self.items.push(item);
        if self.items.len() > self.cap {
            let mut k = 0;
            self.items.retain(|_| {
                k += 1;
                (k - 1) % 2 == 0
            });
            self.stride *= 2;
        }
    }

    /// The kept entries, oldest first.
    pub fn items(&self) -> &[T] {
        &self.items
    }

    /// The newest kept entry.
    pub fn last(&self) -> Option<&T> {
        self.items.last()
    }

    /// Number of kept entries.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether nothing was kept.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_curve_spans_the_whole_run_in_bounded_points_and_keeps_the_mean() {
        let mut c = Curve::new("loss");
        let n = 100_000;
        for i in 0..n {
            c.push(i as f64, 2.0 + (i % 2) as f64);
        }
        let p = c.points();
        assert!(p.len() <= CURVE_POINTS + 1, "{} points", p.len());
        assert!(p.first().unwrap().0 < 200.0 && p.last().unwrap().0 > n as f64 - 400.0, "spans the run");
        assert!(p.iter().all(|q| (q.1 - 2.5).abs() < 1e-9), "bins average the values");
    }

    #[test]
    fn thinning_keeps_the_first_entry_and_a_bounded_count() {
        let mut t = Thinned::new(64);
        for i in 0..10_000 {
            t.push(i);
        }
        assert!(t.len() <= 64 && t.len() >= 32, "{}", t.len());
        assert_eq!(t.items()[0], 0);
        assert!(t.items().windows(2).all(|w| w[0] < w[1]));
        assert!(*t.last().unwrap() > 9_000, "recent entries are kept: {:?}", t.last());
    }
}
