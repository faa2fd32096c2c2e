//! Training methods (math.md §3 dual family, §4 primal family): one file per method family, each
//! implementing `method::Model` and defining its registry entries (`crate::registry` lists them).
//! Models train and answer probes with plain data; they never draw.

pub mod adversarial;
pub mod autoencoder;
pub mod barycentric;
pub mod icnn;
mod losses;
pub mod mke;
mod nets;
pub mod semidual;
pub mod w2;

pub use nets::{Net, Role, update_all};

use crate::error::{Error, Result};
use serde_json::Value;

/// A factor or weight as the read-out writes it: three significant digits, trailing zeros dropped,
/// exponent form below 1e-3 (as the page writes its metrics).
pub(crate) fn short(v: f32) -> String {
    if v != 0.0 && v.abs() < 1e-3 {
        return format!("{v:.2e}");
    }
    let digits = if v == 0.0 { 0 } else { (2 - v.abs().log10().floor() as i32).max(0) as usize };
    let s = format!("{v:.digits$}");
    if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s }
}

/// "name parameter p" for the first network with a non-finite parameter.
pub(crate) fn first_non_finite(nets: &[(&str, &Net)]) -> Option<String> {
    nets.iter().find_map(|(k, n)| n.non_finite().map(|p| format!("{k} parameter {p}")))
}

/// "name parameter p" if the parameter set `params` of network `name` holds a NaN or infinity.
pub(crate) fn first_non_finite_in(name: &str, params: &crate::nn::Params) -> Option<String> {
    params.first_non_finite().map(|p| format!("{name} parameter {p}"))
}

/// Save named networks as a JSON object {name: network}.
pub(crate) fn save_nets(nets: &[(&str, &Net)]) -> Value {
    Value::Object(
        nets.iter()
            .map(|(k, n)| (k.to_string(), serde_json::from_str(&n.mlp.to_json()).unwrap_or(Value::Null)))
            .collect(),
    )
}

/// Load named networks saved by `save_nets`; architectures must match.
pub(crate) fn load_nets(v: &Value, nets: &mut [(&str, &mut Net)]) -> Result<()> {
    for (k, n) in nets.iter_mut() {
        let item = v.get(*k).ok_or_else(|| Error::config(*k, "missing from the saved parameters"))?;
        let loaded = crate::nn::Mlp::from_json(&item.to_string())
            .map_err(|e| Error::config(*k, format!("cannot load the saved network: {e}")))?;
        if loaded.spec != n.mlp.spec {
            return Err(Error::config(*k, "the saved network has another shape than this run's"));
        }
        n.mlp = loaded;
    }
    Ok(())
}

#[cfg(test)]
mod short_tests {
    use super::short;

    #[test]
    fn factors_read_with_three_significant_digits_and_small_ones_in_exponent_form() {
        let said: Vec<String> = [150.0, 100.0, 0.55, 0.1, 1.0, 0.125, 0.0, 4.2e-4].map(short).to_vec();
        assert_eq!(said, ["150", "100", "0.55", "0.1", "1", "0.125", "0", "4.20e-4"]);
    }
}
