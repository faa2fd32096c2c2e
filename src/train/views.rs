//! Views: the probes of a trainer turned into scenes (plain data) that `viz` draws — the same
//! builders serve the page, the `--out` frames and the figures.

use super::Trainer;
use crate::data::{Points, Window};
use crate::ot::displacement;
use crate::viz::{Arrows, Chart, Cloud, G_COLOR, Heat, OT_COLOR, Polyline, Scene, Series, X_COLOR, Y_COLOR};

/// Arrows drawn per arrow layer (the W2GAN authors' figures show 150).
pub const ARROWS: usize = 150;
/// Heat-map grid side in cells.
pub const HEAT_SIZE: usize = 64;
/// Laguerre-cell raster side in pixels (cheap to compute, so finer than the heat maps).
pub const CELL_SIZE: usize = 200;

/// μ_t on the W2 geodesic.
const GEODESIC_COLOR: (u8, u8, u8) = (40, 40, 40);
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
    /// Laguerre cells of a semi-discrete potential.
    pub cells: bool,
    /// μ_t = ((1 − t) Id + t T_disc)#X on the W2 geodesic at this t (map mode).
    pub geodesic: Option<f32>,
    /// The window shown (None: fitted to the held-out data).
    pub window: Option<Window>,
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
            cells: false,
            geodesic: None,
            window: None,
        }
    }
}

fn head(p: &Points) -> Points {
    p.rows(0, ARROWS.min(p.nrows())).into_owned()
}

/// Names of the critic fields the heat-map layer can show (φ, ψ, D, f, u, v; none for some methods).
pub fn critic_names(t: &mut Trainer) -> Vec<&'static str> {
    t.model().critic(&Window::default().grid(1)).into_iter().map(|(n, _)| n).collect()
}

/// The `i`-th critic field (φ, ψ, D, …) on the heat-map grid over `window`, if the method has one.
pub fn heat_field(t: &mut Trainer, i: usize, window: &Window) -> Option<Heat> {
    let (name, values) = t.model().critic(&window.grid(HEAT_SIZE)).into_iter().nth(i)?;
    Some(Heat { size: HEAT_SIZE, values, name: name.to_string(), categorical: false })
}

/// The window that shows the run's held-out data (and the map of it).
pub fn fitted_window(t: &mut Trainer) -> Window {
    let x = t.eval_source().clone();
    let gx = t.model().apply(&x);
    let mut clouds = vec![t.eval_target(), &gx];
    if t.eval_matched().is_some() {
        clouds.push(t.eval_source());
    }
    Window::fit(&clouds)
}

/// The main panel for the trainer's held-out samples with the chosen layers.
pub fn main_view(t: &mut Trainer, layers: &Layers) -> Scene {
    let window = layers.window.unwrap_or_else(|| fitted_window(t));
    let mut s = Scene { window, ..Scene::default() };
    let x = t.eval_source().clone();
    let y = t.eval_target().clone();
    let map_mode = t.eval_matched().is_some();
    let gx = t.model().apply(&x);
    if layers.cells
        && let Some(r) = t.model_ref().cells(CELL_SIZE, CELL_SIZE, &window)
    {
        let k = r.cells.iter().max().map_or(0, |m| m + 1);
        let values = r.cells.iter().map(|&c| c as f32).collect();
        let name = format!("Laguerre cells of {k} targets");
        s.heat = Some(Heat { size: CELL_SIZE, values, name, categorical: true });
    }
    // the Laguerre cells take precedence over a critic field, which is then not computed
    if let Some(i) = layers.heat.filter(|_| s.heat.is_none()) {
        s.heat = heat_field(t, i, &window);
    }
    if layers.trails {
        let trails = t.trails.items();
        for i in 0..trails.first().map_or(0, |p| p.nrows()) {
            let path: Vec<(f32, f32)> = trails.iter().map(|p| (p[(i, 0)], p[(i, 1)])).collect();
            s.lines.push(Polyline { points: path, color: G_COLOR, alpha: 0.5 });
        }
    }
    if layers.ot
        && let Some(m) = t.eval_matched()
    {
        s.arrows.push(Arrows { from: head(&x), to: head(m), color: OT_COLOR, alpha: 0.6 });
    }
    if layers.map && map_mode {
        s.arrows.push(Arrows { from: head(&x), to: head(&gx), color: MAP_COLOR, alpha: 0.7 });
    }
    if layers.monge
        && let Some(m) = t.model().monge(&head(&x))
    {
        s.arrows.push(Arrows { from: head(&x), to: m, color: SIGNAL_COLOR, alpha: 0.7 });
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
    if let (Some(at), Some(m)) = (layers.geodesic, t.eval_matched()) {
        s.clouds.push(Cloud {
            points: displacement(t.eval_source(), m, at),
            color: GEODESIC_COLOR,
            radius: 2,
        });
    }
    s
}

fn series(name: &str, color: (u8, u8, u8), points: Vec<(f32, f32)>) -> Series {
    Series { name: name.to_string(), color, points, reference: false }
}

/// W2², MapErr and GeoDev (and L2-UVP on the Gaussian pair) over generator steps.
pub fn metrics_chart(t: &Trainer) -> Chart {
    let line = |f: fn(&super::Eval) -> Option<f64>| -> Vec<(f32, f32)> {
        t.evals.items().iter().filter_map(|e| f(e).map(|v| (e.step as f32, v as f32))).collect()
    };
    let mut c =
        Chart { title: "metrics".into(), x_label: t.cfg.method().step_name.into(), series: Vec::new() };
    c.series.push(series("W2²", (31, 119, 180), line(|e| Some(e.w2sq))));
    c.series.push(series("MapErr", (44, 160, 44), line(|e| e.map_err)));
    c.series.push(series("GeoDev", (214, 39, 40), line(|e| e.geo_dev)));
    c.series.push(series("L2-UVP/100", (148, 103, 189), line(|e| e.l2_uvp.map(|u| u / 100.0))));
    c
}

/// Every loss over steps (the trainer's bounded curves).
pub fn loss_chart(t: &Trainer) -> Chart {
    let palette = [(255, 127, 14), (31, 119, 180), (140, 86, 75), (227, 119, 194), (127, 127, 127)];
    let mut c =
        Chart { title: "losses".into(), x_label: t.cfg.method().step_name.into(), series: Vec::new() };
    for (k, curve) in t.losses.iter().enumerate() {
        let points = curve.points().into_iter().map(|(s, v)| (s as f32, v as f32)).collect();
        c.series.push(series(curve.name, palette[k % palette.len()], points));
    }
    c
}

/// Does training follow the W2 geodesic? W2²(G#X, Y) / W2²(X, Y) against the fictive time
/// s = −ln(1 − t̄) read off the progress t̄, with the ideal flow's e^{−2s} (map mode only).
pub fn geodesic_chart(t: &Trainer) -> Option<Chart> {
    let w0 = t.baseline_w2sq().filter(|w| *w > 0.0)?;
    let s_of = |p: f64| -(1.0 - p.clamp(0.0, 0.999)).ln();
    let run: Vec<(f32, f32)> = t
        .evals
        .items()
        .iter()
        .filter_map(|e| e.progress.map(|p| (s_of(p) as f32, (e.w2sq / w0) as f32)))
        .collect();
    let s_max = run.iter().map(|p| p.0).fold(2.0_f32, f32::max);
    let ideal = (0..=60).map(|i| {
        let s = s_max * i as f32 / 60.0;
        (s, (-2.0 * s).exp())
    });
    let mut c = Chart {
        title: "geodesic: W2²/W2²(X,Y) vs s".into(),
        x_label: "s = −ln(1 − t̄)".into(),
        series: Vec::new(),
    };
    c.series.push(Series { reference: true, ..series("e^(−2s)", (90, 90, 90), ideal.collect()) });
    c.series.push(series("run", (148, 52, 200), run));
    Some(c)
}

/// The charts of a run: metrics, losses and (map mode) the geodesic chart.
pub fn charts(t: &Trainer) -> Vec<Chart> {
    let mut c = vec![metrics_chart(t), loss_chart(t)];
    c.extend(geodesic_chart(t));
    c
}

/// The latent panel of an autoencoder: codes f(y) (orange) over prior samples (blue).
pub fn latent_view(t: &mut Trainer) -> Option<Scene> {
    let y = t.eval_target().clone();
    let codes = t.model().encode(&y)?;
    let prior = t.eval_source().clone();
    let window = Window::fit(&[&codes, &prior]);
    let mut s = Scene { title: "latent: codes f(y) and prior z".into(), window, ..Scene::default() };
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
    s.window = Window::fit(&[t.eval_target()]);
    for horizontal in [true, false] {
        for a in 0..lines {
            let u = -2.0 + 4.0 * a as f32 / (lines - 1).max(1) as f32;
            let z = Points::from_fn(k, 2, |b, c| {
                let v = -2.0 + 4.0 * b as f32 / (k - 1) as f32;
                if (c == 0) == horizontal { v } else { u }
            });
            let g = t.model().apply(&z);
            s.lines.push(Polyline {
                points: (0..k).map(|i| (g[(i, 0)], g[(i, 1)])).collect(),
                color: G_COLOR,
                alpha: 0.7,
            });
        }
    }
    s.clouds.push(Cloud { points: t.eval_target().clone(), color: Y_COLOR, radius: 2 });
    Some(s)
}
