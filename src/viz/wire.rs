//! A frame — the main scene, the latent panel and the charts — as compact bytes, so a training
//! worker can hand it to the page in one transferable buffer (little-endian f32 and u32, UTF-8).

use super::chart::{Chart, Series};
use super::heat::Heat;
use super::scene::{Arrows, Cloud, Polyline, Scene};
use crate::data::{Points, Window};
use crate::error::{Error, Result};

/// What the page draws at one moment of a run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Frame {
    /// The main panel.
    pub scene: Scene,
    /// The latent panel (autoencoders).
    pub latent: Option<Scene>,
    /// Metrics, losses and the geodesic chart.
    pub charts: Vec<Chart>,
}

struct Writer(Vec<u8>);

impl Writer {
    fn u32(&mut self, v: usize) {
        self.0.extend_from_slice(&(v as u32).to_le_bytes());
    }
    fn f32(&mut self, v: f32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn f64(&mut self, v: f64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn text(&mut self, s: &str) {
        self.u32(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }
    fn rgb(&mut self, (r, g, b): (u8, u8, u8)) {
        self.0.extend_from_slice(&[r, g, b]);
    }
    fn points(&mut self, p: &Points) {
        self.u32(p.nrows());
        for i in 0..p.nrows() {
            self.f32(p[(i, 0)]);
            self.f32(p[(i, 1)]);
        }
    }
    fn pairs(&mut self, p: &[(f32, f32)]) {
        self.u32(p.len());
        for &(a, b) in p {
            self.f32(a);
            self.f32(b);
        }
    }
    fn scene(&mut self, s: &Scene) {
        self.text(&s.title);
        for v in [s.window.x0, s.window.y0, s.window.size] {
            self.f32(v);
        }
        self.u32(usize::from(s.heat.is_some()));
        if let Some(h) = &s.heat {
            self.u32(h.size);
            self.text(&h.name);
            self.u32(usize::from(h.categorical));
            h.values.iter().for_each(|&v| self.f32(v));
        }
        self.text(&s.lines_label);
        self.u32(s.lines.len());
        for l in &s.lines {
            self.rgb(l.color);
            self.f64(l.alpha);
            self.pairs(&l.points);
        }
        self.u32(s.arrows.len());
        for a in &s.arrows {
            self.rgb(a.color);
            self.f64(a.alpha);
            self.text(&a.label);
            self.points(&a.from);
            self.points(&a.to);
        }
        self.u32(s.clouds.len());
        for c in &s.clouds {
            self.rgb(c.color);
            self.u32(c.radius as usize);
            self.text(&c.label);
            self.points(&c.points);
        }
    }
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.b.len());
        let end =
            end.ok_or_else(|| Error::data(None, format!("frame ends at byte {} (needs {n} more)", self.at)))?;
        let out = &self.b[self.at..end];
        self.at = end;
        Ok(out)
    }
    fn u32(&mut self) -> Result<usize> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    }
    fn f32(&mut self) -> Result<f32> {
        let b = self.take(4)?;
        Ok(f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn f64(&mut self) -> Result<f64> {
        let b = self.take(8)?;
        let mut a = [0; 8];
        a.copy_from_slice(b);
        Ok(f64::from_le_bytes(a))
    }
    /// A count of items of at least `item` bytes each that the rest of the frame can hold.
    fn count(&mut self, item: usize) -> Result<usize> {
        let n = self.u32()?;
        if n.saturating_mul(item) > self.b.len() - self.at {
            return Err(Error::data(None, format!("frame claims {n} items at byte {}", self.at)));
        }
        Ok(n)
    }
    fn text(&mut self) -> Result<String> {
        let n = self.count(1)?;
        String::from_utf8(self.take(n)?.to_vec()).map_err(|_| Error::data(None, "frame text is not UTF-8"))
    }
    fn rgb(&mut self) -> Result<(u8, u8, u8)> {
        let b = self.take(3)?;
        Ok((b[0], b[1], b[2]))
    }
    fn points(&mut self) -> Result<Points> {
        let n = self.count(8)?;
        let mut p = Points::zeros(n, 2);
        for i in 0..n {
            p[(i, 0)] = self.f32()?;
            p[(i, 1)] = self.f32()?;
        }
        Ok(p)
    }
    fn pairs(&mut self) -> Result<Vec<(f32, f32)>> {
        let n = self.count(8)?;
        (0..n).map(|_| Ok((self.f32()?, self.f32()?))).collect()
    }
    fn scene(&mut self) -> Result<Scene> {
        let title = self.text()?;
        let window = Window { x0: self.f32()?, y0: self.f32()?, size: self.f32()? };
        let heat = match self.u32()? {
            0 => None,
            _ => {
                let size = self.u32()?;
                let name = self.text()?;
                let categorical = self.u32()? != 0;
                let n = size.checked_mul(size).filter(|&n| n * 4 <= self.b.len() - self.at);
                let n = n.ok_or_else(|| Error::data(None, "frame heat map larger than the frame"))?;
                let values = (0..n).map(|_| self.f32()).collect::<Result<_>>()?;
                Some(Heat { size, values, name, categorical })
            }
        };
        let lines_label = self.text()?;
        let lines = (0..self.count(15)?)
            .map(|_| Ok(Polyline { color: self.rgb()?, alpha: self.f64()?, points: self.pairs()? }))
            .collect::<Result<_>>()?;
        let arrows = (0..self.count(23)?)
            .map(|_| {
                Ok(Arrows {
                    color: self.rgb()?,
                    alpha: self.f64()?,
                    label: self.text()?,
                    from: self.points()?,
                    to: self.points()?,
                })
            })
            .collect::<Result<_>>()?;
        let clouds = (0..self.count(15)?)
            .map(|_| {
                Ok(Cloud {
                    color: self.rgb()?,
                    radius: self.u32()? as u32,
                    label: self.text()?,
                    points: self.points()?,
                })
            })
            .collect::<Result<_>>()?;
        Ok(Scene { title, window, heat, lines, lines_label, arrows, clouds })
    }
}

impl Frame {
    /// The frame as bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer(Vec::with_capacity(64 * 1024));
        w.scene(&self.scene);
        w.u32(usize::from(self.latent.is_some()));
        if let Some(l) = &self.latent {
            w.scene(l);
        }
        w.u32(self.charts.len());
        for c in &self.charts {
            w.text(&c.title);
            w.text(&c.x_label);
            w.u32(usize::from(c.log_y));
            w.text(&c.empty);
            w.u32(c.series.len());
            for s in &c.series {
                w.text(&s.name);
                w.rgb(s.color);
                w.u32(usize::from(s.reference));
                w.pairs(&s.points);
            }
        }
        w.0
    }

    /// A frame from `encode`'s bytes; malformed bytes are an error, never a panic.
    pub fn decode(bytes: &[u8]) -> Result<Frame> {
        let mut r = Reader { b: bytes, at: 0 };
        let scene = r.scene()?;
        let latent = if r.u32()? != 0 { Some(r.scene()?) } else { None };
        let charts = (0..r.count(20)?)
            .map(|_| {
                let (title, x_label, log_y, empty) = (r.text()?, r.text()?, r.u32()? != 0, r.text()?);
                let series = (0..r.count(11)?)
                    .map(|_| {
                        Ok(Series {
                            name: r.text()?,
                            color: r.rgb()?,
                            reference: r.u32()? != 0,
                            points: r.pairs()?,
                        })
                    })
                    .collect::<Result<_>>()?;
                Ok(Chart { title, x_label, log_y, empty, series })
            })
            .collect::<Result<_>>()?;
        Ok(Frame { scene, latent, charts })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Frame {
        let p = Points::from_fn(5, 2, |i, k| i as f32 - k as f32 * 0.5);
        let scene = Scene {
            title: "μ_t".into(),
            window: Window { x0: -3.0, y0: -1.0, size: 5.0 },
            heat: Some(Heat {
                size: 2,
                values: vec![0.0, 1.0, 2.0, 3.0],
                name: "φ".into(),
                categorical: false,
            }),
            lines: vec![Polyline { points: vec![(0.0, 1.0), (2.0, 3.0)], color: (1, 2, 3), alpha: 0.5 }],
            lines_label: "trails".into(),
            arrows: vec![Arrows {
                from: p.clone(),
                to: p.clone() * 2.0,
                color: (4, 5, 6),
                alpha: 0.7,
                label: "OT".into(),
            }],
            clouds: vec![Cloud { points: p, color: (7, 8, 9), radius: 2, label: "X".into() }],
        };
        let series =
            Series { name: "W2²".into(), color: (1, 1, 1), points: vec![(0.0, 1.0)], reference: true };
        let chart = Chart {
            title: "t".into(),
            x_label: "step".into(),
            log_y: true,
            empty: "e".into(),
            series: vec![series],
        };
        Frame { latent: Some(scene.clone()), scene, charts: vec![chart] }
    }

    #[test]
    fn frames_round_trip_exactly() {
        let f = sample();
        assert_eq!(Frame::decode(&f.encode()).unwrap(), f);
        assert_eq!(Frame::decode(&Frame::default().encode()).unwrap(), Frame::default());
    }

    #[test]
    fn truncated_or_corrupted_frames_are_errors_not_panics() {
        let bytes = sample().encode();
        for cut in 0..bytes.len() {
            assert!(Frame::decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut r = crate::rng::seeded(3);
        for _ in 0..2000 {
            let mut b = bytes.clone();
            let at = crate::rng::index(&mut r, b.len());
            b[at] = crate::rng::index(&mut r, 256) as u8;
            let _ = Frame::decode(&b);
        }
    }
}
