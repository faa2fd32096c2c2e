//! Views: the probes of a trainer turned into scenes (plain data) that `viz` draws — the same
//! builders serve the page, the `--out` frames and the figures.

use super::Trainer;
use crate::data::{Points, Window};
use crate::error::{Error, Result};
use crate::ot::displacement;
use crate::viz::{
    Arrows, Chart, Cloud, G_COLOR, Heat, OT_COLOR, Polyline, Scene, Series, X_COLOR, Y_COLOR, color_regions,
};

/// Arrows drawn per arrow layer (the W2GAN authors' figures show 150).
pub const ARROWS: usize = 150;
/// Heat-map grid side in cells.
pub const HEAT_SIZE: usize = 64;
/// Laguerre-cell raster side in pixels (cheap to compute, row by row, so finer than the heat maps:
/// a raster pixel is about 1.6 screen pixels at desktop size, and the borders are not stair-stepped).
pub const CELL_SIZE: usize = 400;

/// μ_t on the W2 geodesic.
const GEODESIC_COLOR: (u8, u8, u8) = (140, 86, 75);
/// Learned-map arrows x → G(x) (and reconstructions y → g(f(y))).
const MAP_COLOR: (u8, u8, u8) = (44, 160, 44);
/// The generator's update direction.
const SIGNAL_COLOR: (u8, u8, u8) = (214, 39, 40);
/// The sites of the Laguerre cells (the discrete targets).
const SITE_COLOR: (u8, u8, u8) = (20, 20, 20);
/// The potential's map x − ∇φ(x) (∇ψ(x) for a convex ψ).
const MONGE_COLOR: (u8, u8, u8) = (23, 190, 207);

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
    /// The approximate Monge map of a learned potential (x − ∇φ(x), or ∇ψ(x) for a convex ψ).
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
    /// A legend naming the drawn layers (off in the compare view's small panels).
    pub legend: bool,
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
            legend: true,
        }
    }
}

/// One entry of a layer list: a layer's name, μ_t's t (`geo=T`) or a fixed window
/// (`view=x0;y0;size`).
enum Entry<'a> {
    Name(&'a str),
    Geo(f32),
    View(Window),
}

impl<'a> Entry<'a> {
    /// Read `item`; a malformed t or window is an error saying what was expected.
    fn read(item: &'a str) -> std::result::Result<Entry<'a>, String> {
        if let Some(t) = item.strip_prefix("geo=") {
            let t = t.parse::<f32>().ok().filter(|t| t.is_finite());
            return t
                .map(|t| Entry::Geo(t.clamp(0.0, 1.0)))
                .ok_or_else(|| format!("`{item}` is not geo=T with T a number in [0, 1]"));
        }
        if let Some(v) = item.strip_prefix("view=") {
            let n: Vec<f32> = v.split(';').map(|s| s.trim().parse().unwrap_or(f32::NAN)).collect();
            return match n[..] {
                [x0, y0, size] if x0.is_finite() && y0.is_finite() && size.is_finite() && size > 0.0 => {
                    Ok(Entry::View(Window { x0, y0, size }))
                }
                _ => Err(format!("`{item}` is not view=x0;y0;size (three numbers, size > 0)")),
            };
        }
        Ok(Entry::Name(item))
    }
}

/// The entries of a comma-separated layer list, trimmed, empty ones left out.
fn entries(list: &str) -> impl Iterator<Item = (&str, std::result::Result<Entry<'_>, String>)> {
    list.split(',').map(str::trim).filter(|s| !s.is_empty()).map(|item| (item, Entry::read(item)))
}

/// A shared link's layer list as the page holds it: the names asked for (`geo` among them when
/// t is given), t, the fixed window, and what could not be read (left out, each named).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct LinkLayers {
    /// Layer names, in the link's order.
    pub names: Vec<String>,
    /// μ_t's t, clamped to [0, 1].
    pub t: Option<f32>,
    /// The fixed window as [x0, y0, size].
    pub view: Option<[f32; 3]>,
    /// A message per entry that could not be read.
    pub problems: Vec<String>,
}

impl LinkLayers {
    /// Read a link's list; unlike `Layers::parse` a malformed entry is left out, not an error
    /// (a malformed `geo=` still asks for μ_t, at the page's t), and any name is kept (the page
    /// draws those the run offers).
    pub fn read(list: &str) -> LinkLayers {
        let mut out = LinkLayers::default();
        for (item, entry) in entries(list) {
            match entry {
                Ok(Entry::Name(n)) => out.names.push(n.to_string()),
                Ok(Entry::Geo(t)) => {
                    out.t = Some(t);
                    out.names.push("geo".into());
                }
                Ok(Entry::View(w)) => out.view = Some([w.x0, w.y0, w.size]),
                Err(why) => {
                    if item.starts_with("geo=") {
                        out.names.push("geo".into());
                    }
                    let fits = if item.starts_with("view=") { ": the view fits the data" } else { "" };
                    out.problems.push(format!("layers: {why}{fits}"));
                }
            }
        }
        out
    }
}

impl Layers {
    /// Layers from the page's comma-separated list: x, y, gx, map, ot, heat0…heat3, signal,
    /// monge, trails, reconstruct, cells, `geo=T` for μ_t at t = T (clamped to [0, 1]),
    /// `view=x0;y0;size` for a fixed window (else the window fits the data), and `nolegend`
    /// to leave the legend out. An unknown or malformed entry is an error naming it.
    pub fn parse(list: &str) -> Result<Layers> {
        let mut l = Layers { x: false, y: false, gx: false, ..Layers::default() };
        for (item, entry) in entries(list) {
            let bad = || Error::config("layers", format!("unknown layer `{item}`"));
            match entry.map_err(|why| Error::config("layers", why))? {
                Entry::Geo(t) => l.geodesic = Some(t),
                Entry::View(w) => l.window = Some(w),
                Entry::Name("x") => l.x = true,
                Entry::Name("y") => l.y = true,
                Entry::Name("gx") => l.gx = true,
                Entry::Name("map") => l.map = true,
                Entry::Name("ot") => l.ot = true,
                Entry::Name("signal") => l.signal = true,
                Entry::Name("monge") => l.monge = true,
                Entry::Name("trails") => l.trails = true,
                Entry::Name("reconstruct") => l.reconstruct = true,
                Entry::Name("cells") => l.cells = true,
                Entry::Name("nolegend") => l.legend = false,
                Entry::Name(name) => {
                    let heat =
                        name.strip_prefix("heat").and_then(|i| i.parse::<usize>().ok()).filter(|&i| i < 4);
                    l.heat = Some(heat.ok_or_else(bad)?);
                }
            }
        }
        Ok(l)
    }
}

fn head(p: &Points) -> Points {
    p.rows(0, ARROWS.min(p.nrows())).into_owned()
}

/// The layers this run can draw, by their names in `Layers::parse` (heat maps as heat0, heat1…
/// with the field's name): what the page offers.
pub fn available_layers(t: &mut Trainer) -> Vec<(String, String)> {
    let map_mode = t.eval_matched().is_some();
    let one = Points::zeros(1, 2);
    let mut out: Vec<(String, String)> = Vec::new();
    let mut add = |k: &str, label: &str| out.push((k.to_string(), label.to_string()));
    if map_mode {
        add("x", "source X");
    }
    add("y", "target Y");
    let named = names(t);
    add("gx", named.points);
    if map_mode {
        add("ot", "discrete OT arrows");
        add("map", named.map);
        add("geo", "μ_t on the W2 geodesic");
    }
    for (i, name) in critic_names(t).into_iter().enumerate() {
        out.push((format!("heat{i}"), format!("heat map of {name}")));
    }
    let model = t.model();
    let signal = model.signal(&one).is_some();
    let monge = model.monge(&one).is_some();
    let reconstruct = model.reconstruct(&one).is_some();
    let cells = t.model_ref().cells(1, 1, &Window::default()).is_some();
    let mut add = |k: &str, label: &str| out.push((k.to_string(), label.to_string()));
    if signal {
        add("signal", "generator signal");
    }
    if monge {
        add("monge", t.model_ref().monge_label());
    }
    if reconstruct {
        add("reconstruct", "y → g(f(y))");
    }
    if cells {
        add("cells", "Laguerre cells");
    }
    add("trails", named.trails);
    out
}

/// What the page calls the mapped points, the learned map's arrows and their trails.
struct Names {
    points: &'static str,
    map: &'static str,
    trails: &'static str,
}

/// The names for `t`'s run: G for a generator, T for a map read off potentials (W2-OT, ICNN,
/// semi-dual), G(z) for samples generated from latent noise.
fn names(t: &Trainer) -> Names {
    match (t.eval_matched().is_some(), t.model_ref().has_generator()) {
        (false, _) => Names { points: "generated G(z)", map: "", trails: "trails of G(z)" },
        (true, true) => Names { points: "G(X)", map: "learned map x → G(x)", trails: "trails of G(x)" },
        (true, false) => Names { points: "T(X)", map: "learned map x → T(x)", trails: "trails of T(x)" },
    }
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

/// The main panel for the trainer's held-out samples with the chosen layers; without a fixed
/// window, the view fits X (map mode), Y and the map of X.
pub fn main_view(t: &mut Trainer, layers: &Layers) -> Scene {
    let x = t.eval_source().clone();
    let y = t.eval_target().clone();
    let map_mode = t.eval_matched().is_some();
    let named = names(t);
    let gx = t.model().apply(&x);
    let window = layers.window.unwrap_or_else(|| {
        let clouds = if map_mode { vec![&y, &gx, &x] } else { vec![&y, &gx] };
        Window::fit(&clouds)
    });
    let mut s = Scene { window, ..Scene::default() };
    let mut sites = None;
    if layers.cells
        && let Some(r) = t.model_ref().cells(CELL_SIZE, CELL_SIZE, &window)
    {
        let k = r.cells.iter().max().map_or(0, |m| m + 1);
        let values = color_regions(&r.cells, r.width);
        let name = format!("Laguerre cells of {k} targets");
        s.heat = Some(Heat { size: CELL_SIZE, values, name, categorical: true });
        sites = Some(r.sites);
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
        s.lines_label = named.trails.into();
    }
    if layers.ot
        && let Some(m) = t.eval_matched()
    {
        let label = "discrete OT arrows".into();
        s.arrows.push(Arrows { from: head(&x), to: head(m), color: OT_COLOR, alpha: 0.6, label });
    }
    if layers.map && map_mode {
        let label = named.map.into();
        s.arrows.push(Arrows { from: head(&x), to: head(&gx), color: MAP_COLOR, alpha: 0.7, label });
    }
    if layers.monge
        && let Some(m) = t.model().monge(&head(&x))
    {
        let label = t.model_ref().monge_label().into();
        s.arrows.push(Arrows { from: head(&x), to: m, color: MONGE_COLOR, alpha: 0.8, label });
    }
    if layers.signal {
        let g = head(&gx);
        if let Some(d) = t.model().signal(&g) {
            // scaled so the longest arrow is 0.3 long
            let longest = (0..d.nrows()).map(|i| d.row(i).norm()).fold(1e-6, f32::max);
            let label = "generator signal (scaled)".into();
            let to = &g + d * (0.3 / longest);
            s.arrows.push(Arrows { to, from: g, color: SIGNAL_COLOR, alpha: 0.8, label });
        }
    }
    if layers.reconstruct {
        let yh = head(&y);
        if let Some(r) = t.model().reconstruct(&yh) {
            s.arrows.push(Arrows {
                from: yh,
                to: r,
                color: MAP_COLOR,
                alpha: 0.7,
                label: "y → g(f(y))".into(),
            });
        }
    }
    if layers.x && map_mode {
        s.clouds.push(Cloud { points: x, color: X_COLOR, radius: 2, label: "source X".into() });
    }
    if layers.y {
        s.clouds.push(Cloud { points: y, color: Y_COLOR, radius: 2, label: "target Y".into() });
    }
    if let Some(points) = sites {
        // over the cells, each showing the target its cell sends its mass to; T(X) lands on the
        // sites and is drawn over them, so a site left black got none of the held-out points
        s.clouds.push(Cloud {
            points,
            color: SITE_COLOR,
            radius: 3,
            label: "cell sites (the targets)".into(),
        });
    }
    if layers.gx {
        s.clouds.push(Cloud { points: gx, color: G_COLOR, radius: 2, label: named.points.into() });
    }
    if let (Some(at), Some(m)) = (layers.geodesic, t.eval_matched()) {
        s.clouds.push(Cloud {
            points: displacement(t.eval_source(), m, at),
            color: GEODESIC_COLOR,
            radius: 2,
            label: format!("μ_t on the W2 geodesic, t = {at:.2}"),
        });
    }
    if !layers.legend {
        // unnamed layers stay out of the legend
        s.clouds.iter_mut().for_each(|c| c.label.clear());
        s.arrows.iter_mut().for_each(|a| a.label.clear());
        s.lines_label.clear();
    }
    s
}

fn series(name: &str, color: (u8, u8, u8), points: Vec<(f32, f32)>) -> Series {
    Series { name: name.to_string(), color, points, reference: false }
}

/// W2², MapErr and GeoDev (and L2-UVP on the Gaussian pair; the codes' latent W2² for
/// autoencoders) over generator steps, each with its sampling floor as a faint reference line.
pub fn metrics_chart(t: &Trainer) -> Chart {
    let line = |f: &dyn Fn(&super::Eval) -> Option<f64>| -> Vec<(f32, f32)> {
        t.evals.items().iter().filter_map(|e| f(e).map(|v| (e.step as f32, v as f32))).collect()
    };
    let mut c = Chart {
        title: "metrics (log scale)".into(),
        x_label: t.cfg.method().step_name.into(),
        log_y: true,
        empty: "W2², MapErr and GeoDev appear at the first evaluation".into(),
        series: Vec::new(),
    };
    let mut with_floor = |name: &str, color, points: Vec<(f32, f32)>, floor: Vec<(f32, f32)>| {
        if !points.is_empty() && !floor.is_empty() {
            c.series.push(Series { reference: true, ..series(&format!("{name} floor"), color, floor) });
        }
        c.series.push(series(name, color, points));
    };
    let set = t.eval_set();
    // a floor that holds at every step, over the steps measured
    let flat = |floor: Option<f64>| line(&|_| floor);
    with_floor("W2²", (31, 119, 180), line(&|e| Some(e.w2sq)), flat(Some(set.floor)));
    with_floor("MapErr", (44, 160, 44), line(&|e| e.map_err), flat(set.map_err_floor()));
    let geo_floor = line(&|e| set.geo_dev_floor_at(e.progress?));
    with_floor("GeoDev", (214, 39, 40), line(&|e| e.geo_dev), geo_floor);
    with_floor("L2-UVP/100", (148, 103, 189), line(&|e| e.l2_uvp.map(|u| u / 100.0)), Vec::new());
    with_floor("latent W2²", (255, 127, 14), line(&|e| e.latent_w2sq), flat(set.latent_floor));
    c
}

/// Every loss over steps (the trainer's bounded curves).
pub fn loss_chart(t: &Trainer) -> Chart {
    let palette = [(255, 127, 14), (31, 119, 180), (140, 86, 75), (227, 119, 194), (127, 127, 127)];
    let mut c = Chart {
        title: "losses".into(),
        x_label: t.cfg.method().step_name.into(),
        log_y: false,
        empty: "the losses appear once training runs".into(),
        series: Vec::new(),
    };
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
        title: "geodesic: W2²/W2²(X,Y) vs s (log)".into(),
        x_label: "s = −ln(1 − t̄)".into(),
        log_y: true,
        empty: String::new(),
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
    let window = Window::centred(&[&codes, &prior]);
    let mut s = Scene { title: "latent: codes f(y) and prior z".into(), window, ..Scene::default() };
    s.clouds.push(Cloud { points: prior, color: X_COLOR, radius: 2, label: "prior z".into() });
    s.clouds.push(Cloud { points: codes, color: Y_COLOR, radius: 2, label: "codes f(y)".into() });
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
    s.clouds.push(Cloud {
        points: t.eval_target().clone(),
        color: Y_COLOR,
        radius: 2,
        label: "target Y".into(),
    });
    Some(s)
}
