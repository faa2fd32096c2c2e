//! SVG frames of a training run (`otlab train --out DIR`): the paper's figures from the probes.

use otlab::train::Trainer;
use otlab::train::views::{Layers, charts, critic_names, latent_view, main_view, mesh_view};
use otlab::viz::{Scene, render, render_charts};
use otlab::{Error, Result};
use plotters::prelude::*;
use std::path::{Path, PathBuf};

/// Pixel size of one frame.
const SIZE: (u32, u32) = (480, 480);

/// Write `scene` as an SVG file.
pub fn write_svg(path: &Path, scene: &Scene) -> Result<()> {
    let area = SVGBackend::new(path, SIZE).into_drawing_area();
    render(&area, scene).map_err(|e| Error::Io(format!("{}: {e}", path.display())))
}

/// Where frames go.
pub struct Frames {
    dir: PathBuf,
}

impl Frames {
    /// Create `dir` if needed.
    pub fn new(dir: &str) -> Result<Frames> {
        std::fs::create_dir_all(dir).map_err(|e| Error::Io(format!("cannot create {dir}: {e}")))?;
        Ok(Frames { dir: PathBuf::from(dir) })
    }

    fn write(&self, name: &str, mut scene: Scene, title: String) -> Result<()> {
        scene.title = title;
        write_svg(&self.dir.join(name), &scene)
    }

    /// The generator's evolution at the latest evaluation: G(X), its update direction, trails.
    pub fn step(&self, t: &mut Trainer) -> Result<()> {
        let layers = Layers { x: false, signal: true, trails: true, ..Layers::default() };
        let title = format!("{} step {}", t.cfg.method().name, t.steps());
        self.write(&format!("step_{:06}.svg", t.steps()), main_view(t, &layers), title)
    }

    /// The final figures: data with OT arrows, the learned map, every critic field with the
    /// Monge arrows, for autoencoders the latent panel, reconstructions and the decoded mesh, and the
    /// charts (metrics, losses, geodesic).
    pub fn finish(&self, t: &mut Trainer) -> Result<()> {
        let m = t.cfg.method().name;
        let data = Layers { gx: false, ot: true, ..Layers::default() };
        self.write("data.svg", main_view(t, &data), format!("{}: X, Y and discrete OT", t.pair.name))?;
        let map = Layers { map: true, ..Layers::default() };
        self.write("map.svg", main_view(t, &map), format!("{m}: learned map"))?;
        for (i, name) in critic_names(t).into_iter().enumerate() {
            let layers = Layers { gx: false, heat: Some(i), monge: true, ..Layers::default() };
            self.write(&format!("critic_{i}.svg"), main_view(t, &layers), format!("{m}: {name}"))?;
        }
        if let Some(s) = latent_view(t) {
            self.write("latent.svg", s, format!("{m}: latent codes"))?;
            let rec = Layers { reconstruct: true, gx: false, ..Layers::default() };
            self.write("reconstruct.svg", main_view(t, &rec), format!("{m}: y → g(f(y))"))?;
        }
        if let Some(s) = mesh_view(t, 9) {
            self.write("mesh.svg", s, format!("{m}: g on a latent grid"))?;
        }
        let path = self.dir.join("charts.svg");
        let area = SVGBackend::new(&path, (720, 480)).into_drawing_area();
        render_charts(&area, &charts(t), 1.0).map_err(|e| Error::Io(format!("{}: {e}", path.display())))
    }
}
