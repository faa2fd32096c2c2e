//! Views: the probes of a trainer turned into scenes (plain data) that `viz` draws — the same
//! builders serve the page, the `--out` frames and the figures.

use super::Trainer;
use crate::data::Points;
use crate::viz::{Arrows, Cloud, G_COLOR, Heat, OT_COLOR, Scene, X_COLOR, Y_COLOR};

/// Arrows drawn per arrow layer (the W2GAN authors' figures show 150).
pub const ARROWS: usize = 150;
/// Heat-map grid side in cells.
pub const HEAT_SIZE: usize = 64;

/// Learned-map arrows x → G(x).
const MAP_COLOR: (u8, u8, u8) = (44, 160, 44);
/// The generator's update direction and x − ∇φ(x).
const SIGNAL_COLOR: (u8, u8, u8) = (214, 39, 40);

/// Which layers to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct Layers {
    /// Source samples X (map mode).
    pub x: bool,
    /// Target samples Y.
    pub y: bool,
    /// Generated samples G(X) (or decoded g(z)).
    pub gx: bool,
    /// Learned-map arrows x → G(x).
    pub map: bool,
    /// Discrete OT arrows x → y_σ(x).
    pub ot: bool,
    /// Index of the critic field drawn as a heat map.
    pub heat: Option<usize>,
    /// The generator's update direction at G(x).
    pub signal: bool,
    /// The approximate Monge map x → x − ∇φ(x).
    pub monge: bool,
    /// Trails of G over training.
    pub trails: bool,
    /// Reconstruction arrows y → g(f(y)) (autoencoders).
    pub reconstruct: bool,
}

impl Default for Layers {
    fn default() -> Self {
        Layers {
            x: true,
            y: true,
            gx: true,
            map: false,
            ot: false,
            heat: None,
            signal: false,
            monge: false,
            trails: false,
            reconstruct: false,
        }
    }
}

fn head(p: &Points) -> Points {
    p.rows(0, ARROWS.min(p.nrows())).into_owned()
}

/// Names of the critic fields the heat-map layer can show (φ, ψ, D, f, u, v; none for some methods).
pub fn critic_names(t: &mut Trainer) -> Vec<&'static str> {
    t.model().critic(&Heat::grid(1)).into_iter().map(|(n, _)| n).collect()
}

/// The main panel for the trainer's held-out samples with the chosen layers.
pub fn main_view(t: &mut Trainer, layers: &Layers) -> Scene {
    let mut s = Scene::default();
    let x = t.eval_source().clone();
    let y = t.eval_target().clone();
    let map_mode = t.eval_matched().is_some();
    let gx = t.model().apply(&x);
    if let Some(i) = layers.heat {
        let fields = t.model().critic(&Heat::grid(HEAT_SIZE));
        if let Some((name, values)) = fields.into_iter().nth(i) {
            s.heat = Some(Heat { size: HEAT_SIZE, values, name: name.to_string() });
        }
    }
    if layers.trails {
        for i in 0..t.trails.first().map_or(0, |p| p.nrows()) {
            let path: Vec<(f32, f32)> = t.trails.iter().map(|p| (p[(i, 0)], p[(i, 1)])).collect();
            s.lines.push((path, G_COLOR, 0.5));
        }
    }
    if layers.ot {
        if let Some(m) = t.eval_matched() {
            s.arrows.push(Arrows { from: head(&x), to: head(m), color: OT_COLOR, alpha: 0.6 });
        }
    }
    if layers.map && map_mode {
        s.arrows.push(Arrows { from: head(&x), to: head(&gx), color: MAP_COLOR, alpha: 0.7 });
    }
    if layers.monge {
        if let Some(m) = t.model().monge(&head(&x)) {
            s.arrows.push(Arrows { from: head(&x), to: m, color: SIGNAL_COLOR, alpha: 0.7 });
        }
    }
    if layers.signal {
        let g = head(&gx);
        if let Some(d) = t.model().signal(&g) {
            // scaled so the longest arrow is 0.3 long
            let longest = (0..d.nrows()).map(|i| d.row(i).norm()).fold(1e-6, f32::max);
            s.arrows.push(Arrows { to: &g + d * (0.3 / longest), from: g, color: SIGNAL_COLOR, alpha: 0.8 });
        }
    }
    if layers.reconstruct {
        let yh = head(&y);
        if let Some(r) = t.model().reconstruct(&yh) {
            s.arrows.push(Arrows { from: yh, to: r, color: MAP_COLOR, alpha: 0.7 });
        }
    }
    if layers.x && map_mode {
        s.clouds.push(Cloud { points: x, color: X_COLOR, radius: 2 });
    }
    if layers.y {
        s.clouds.push(Cloud { points: y, color: Y_COLOR, radius: 2 });
    }
    if layers.gx {
        s.clouds.push(Cloud { points: gx, color: G_COLOR, radius: 2 });
    }
    s
}

/// The latent panel of an autoencoder: codes f(y) (orange) over prior samples (blue).
pub fn latent_view(t: &mut Trainer) -> Option<Scene> {
    let y = t.eval_target().clone();
    let codes = t.model().encode(&y)?;
    let prior = t.eval_source().clone();
    let mut s = Scene { title: "latent: codes f(y) and prior z".into(), ..Scene::default() };
    s.clouds.push(Cloud { points: prior, color: X_COLOR, radius: 2 });
    s.clouds.push(Cloud { points: codes, color: Y_COLOR, radius: 2 });
    Some(s)
}

/// The decoder's image of a latent grid over [−2, 2]²: a deformed mesh (autoencoders, generative mode).
pub fn mesh_view(t: &mut Trainer, lines: usize) -> Option<Scene> {
    if t.eval_source().ncols() != 2 || t.eval_matched().is_some() {
        return None;
    }
    let k = 24;
    let mut s = Scene { title: "decoder image of a latent grid".into(), ..Scene::default() };
    for horizontal in [true, false] {
        for a in 0..lines {
            let u = -2.0 + 4.0 * a as f32 / (lines - 1).max(1) as f32;
            let z = Points::from_fn(k, 2, |b, c| {
                let v = -2.0 + 4.0 * b as f32 / (k - 1) as f32;
                if (c == 0) == horizontal { v } else { u }
            });
            let g = t.model().apply(&z);
            s.lines.push(((0..k).map(|i| (g[(i, 0)], g[(i, 1)])).collect(), G_COLOR, 0.7));
        }
    }
    s.clouds.push(Cloud { points: t.eval_target().clone(), color: Y_COLOR, radius: 2 });
    Some(s)
}
