//! What a method is, as one registry entry: name, family, modes, keys with default overrides,
//! explanations, presets and the function that builds it.

use super::config::Config;
use super::keys::{GENERAL, KeySpec};
use super::model::{Model, Setup};
use crate::error::Result;
use crate::rng::Rng;

/// How a method relates source and target (Genevay & Peyré).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// A critic or potential is learned (math.md §3).
    Dual,
    /// A coupling is built (math.md §4).
    Primal,
}

impl Family {
    /// "dual" or "primal".
    pub fn name(self) -> &'static str {
        match self {
            Family::Dual => "dual",
            Family::Primal => "primal",
        }
    }
}

/// What the generator starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// G starts at the identity on the source X; metrics compare G with the OT map.
    Map,
    /// G maps latent noise z to the target Y.
    Generative,
}

impl Mode {
    /// "map" or "generative" (the value of the `mode` key).
    pub fn name(self) -> &'static str {
        match self {
            Mode::Map => "map",
            Mode::Generative => "generative",
        }
    }
}

/// A named setting of a method that reproduces something (a paper's figure, a claim).
#[derive(Debug)]
pub struct Preset {
    /// Name (unique over all methods).
    pub name: &'static str,
    /// What it reproduces, in one line.
    pub about: &'static str,
    /// Keys set on top of the method's defaults, as a URL query (no `method`; without `pair` the
    /// current pair is kept).
    pub query: &'static str,
}

/// Builds a method's model for a config.
pub type Build = fn(&Config, &Setup<'_>, &mut Rng) -> Result<Box<dyn Model>>;

/// One registry entry.
pub struct Method {
    /// Name used in links, the CLI and menus.
    pub name: &'static str,
    /// Dual or primal.
    pub family: Family,
    /// Supported modes; the first is the default.
    pub modes: &'static [Mode],
    /// The method's own keys in display order, in groups (shared groups such as a critic network
    /// and single keys); the general keys come first for every method.
    pub keys: &'static [&'static [&'static KeySpec]],
    /// Default values that differ from the key table's.
    pub defaults: &'static [(&'static KeySpec, &'static str)],
    /// What is trained.
    pub trains: &'static str,
    /// The loss in one line.
    pub loss: &'static str,
    /// What to watch in the lab (one sentence).
    pub watch: &'static str,
    /// The layers `watch` speaks of (drawn by its default mode), switched on where a run offers
    /// them when the method is chosen in the page.
    pub shows: &'static [&'static str],
    /// The measurements behind `watch` (the page folds them away; empty when there are none).
    pub measured: &'static str,
    /// Label of the chart's step axis.
    pub step_name: &'static str,
    /// Named settings.
    pub presets: &'static [Preset],
    /// Build the model.
    pub build: Build,
}

impl std::fmt::Debug for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Method({})", self.name)
    }
}

impl PartialEq for Method {
    fn eq(&self, other: &Method) -> bool {
        self.name == other.name
    }
}

impl Method {
    /// Every key of a run of this method: the general keys, then its own, without repeats.
    pub fn all_keys(&self) -> Vec<&'static KeySpec> {
        let mut out: Vec<&'static KeySpec> = Vec::new();
        for k in GENERAL.iter().chain(self.keys.iter().flat_map(|g| g.iter())) {
            if !out.iter().any(|o| o.name == k.name) {
                out.push(k);
            }
        }
        out
    }

    /// Whether `key` belongs to runs of this method.
    pub fn has_key(&self, key: &str) -> bool {
        GENERAL.iter().chain(self.keys.iter().flat_map(|g| g.iter())).any(|k| k.name == key)
    }

    /// The default mode.
    pub fn default_mode(&self) -> Mode {
        self.modes[0]
    }

    /// The default text of `key` for this method (its override, else the key table's).
    pub fn default_of(&self, key: &KeySpec) -> &'static str {
        if key.name == "mode" {
            return self.default_mode().name();
        }
        self.own_default(key).unwrap_or(key.default)
    }

    /// The method's own default for `key`, where it overrides the key table's.
    pub fn own_default(&self, key: &KeySpec) -> Option<&'static str> {
        self.defaults.iter().find(|(k, _)| k.name == key.name).map(|(_, v)| *v)
    }
}
