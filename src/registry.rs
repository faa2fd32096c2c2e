//! The one method registry: every method the lab knows, as the entries its model files define.
//! The key table, the URL / `--set` parser, the page's menus and controls, the presets and the
//! model builds all read these entries. To add a method: write its file in `models/` with a
//! `Method` entry, and list the entry here.

use crate::error::{Error, Result};
use crate::method::{Config, Method, Preset, query_entries, query_pairs};
use crate::models::{adversarial, autoencoder, barycentric, icnn, mke, semidual, w2};

/// Every method, in menu order: the dual family, then the primal family.
pub const METHODS: &[&Method] = &[
    &adversarial::GAN,
    &adversarial::WGAN,
    &adversarial::WGAN_GP,
    &adversarial::WGAN_LP,
    &w2::W2GAN,
    &w2::W2OT,
    &barycentric::BARYCENTRIC,
    &icnn::ICNN,
    &semidual::SEMIDUAL,
    &mke::MKE,
    &autoencoder::VAE,
    &autoencoder::WAE_GAN,
    &autoencoder::WAE_MMD,
    &autoencoder::WVAE,
];

/// The method used when a query names none.
pub const DEFAULT_METHOD: &str = "w2gan";

/// The entry named `name`, or an error listing the known ones.
pub fn method(name: &str) -> Result<&'static Method> {
    METHODS.iter().copied().find(|m| m.name == name).ok_or_else(|| {
        let names: Vec<&str> = METHODS.iter().map(|m| m.name).collect();
        Error::config("method", format!("unknown method `{name}`; expected one of {}", names.join(", ")))
    })
}

/// The defaults of the method named `name`.
pub fn config(name: &str) -> Result<Config> {
    Ok(Config::new(method(name)?))
}

/// The method a query names (the default method when it names none).
fn method_of(q: &str) -> Result<&'static Method> {
    let pairs = query_pairs(q)?;
    method(pairs.iter().find(|(k, _)| k == "method").map_or(DEFAULT_METHOD, |(_, v)| v.as_str()))
}

/// Parse a URL query or hash (`#`/`?` prefix allowed): the method's defaults, then every key the
/// query sets. Unknown keys, keys of other methods and bad values are errors naming the key.
pub fn parse(q: &str) -> Result<Config> {
    let mut c = Config::new(method_of(q)?);
    c.merge_query(q)?;
    Ok(c)
}

/// Parse what is valid in a query and report the rest: a shared link with one bad value still
/// loads. An unusable `method` falls back to the default method.
pub fn parse_lenient(q: &str) -> (Config, Vec<Error>) {
    let mut errors = Vec::new();
    // a bad escape elsewhere in the link is reported once, by the merge below
    let named = query_entries(q).flatten().find(|(k, _)| k == "method");
    let m = method(named.as_ref().map_or(DEFAULT_METHOD, |(_, v)| v.as_str())).unwrap_or_else(|e| {
        errors.push(e);
        METHODS.iter().copied().find(|m| m.name == DEFAULT_METHOD).unwrap_or(METHODS[0])
    });
    let mut c = Config::new(m);
    errors.extend(c.merge_query_lenient(q));
    (c, errors)
}

/// Every preset with the method it belongs to.
pub fn presets() -> impl Iterator<Item = (&'static Method, &'static Preset)> {
    METHODS.iter().flat_map(|m| m.presets.iter().map(move |p| (*m, p)))
}

/// The preset named `name` with its method.
pub fn preset(name: &str) -> Result<(&'static Method, &'static Preset)> {
    presets().find(|(_, p)| p.name == name).ok_or_else(|| {
        let names: Vec<&str> = presets().map(|(_, p)| p.name).collect();
        Error::config("preset", format!("unknown preset `{name}`; expected one of {}", names.join(", ")))
    })
}
