//! How much arithmetic a training step takes, from the config alone: the page asks before
//! applying a setting that would make one step take longer than a second.

use crate::method::Config;

/// Multiply-adds of one step, roughly: batch × (critic updates × critic size + generator size +
/// encoder size), each network's size the sum of its layer products; forward and backward passes
/// and gradient penalties only scale it by a constant per method.
pub fn work_per_step(cfg: &Config) -> f64 {
    let num = |key: &str| cfg.show(key).and_then(|v| v.parse::<f64>().ok());
    let net = |width: &str, depth: &str| -> f64 {
        match (num(width), num(depth)) {
            (Some(w), Some(d)) => 2.0 * w + (d - 1.0).max(0.0) * w * w + w,
            _ => 0.0,
        }
    };
    let critic = net("critic_width", "critic_depth") * num("n_critic").unwrap_or(1.0);
    let width = num("sd_targets").unwrap_or(0.0);
    num("batch").unwrap_or(1.0)
        * (critic + net("gen_width", "gen_depth") + net("enc_width", "enc_depth") + width)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wider_and_larger_batches_cost_more_in_proportion() {
        let base = crate::registry::config("w2gan").unwrap();
        let mut wide = base.clone();
        wide.set("critic_width", "1024").unwrap();
        wide.set("gen_width", "1024").unwrap();
        let mut big = base.clone();
        big.set("batch", "4096").unwrap();
        let (w0, w1, w2) = (work_per_step(&base), work_per_step(&wide), work_per_step(&big));
        assert!(w1 > 200.0 * w0, "width 64 → 1024 costs about 256× more: {}", w1 / w0);
        assert!((w2 / w0 - 16.0).abs() < 1e-9, "batch 256 → 4096 costs 16×");
    }
}
