//! The primal family's claims (the VEGAN cookbook, Bousquet et al. 2017; Genevay & Peyré §4):
//! WAE codes match the prior, the VAE blurs where the WAE does not, and
//! E(θ_WGAN) ≤ E(θ_MKE) ≤ E(θ_WVAE) with VAE-type training more stable than GAN training.

use super::runs::{Run, RunSpec, run_all};
use super::{Budget, Row, Verdict, list};
use crate::autodiff::Tape;
use crate::data::{Blob, Dist, Points};
use crate::error::{Error, Result};
use crate::method::keys::STEPS;
use crate::models::autoencoder::sinkhorn_divergence;
use crate::registry;
use crate::train::Trainer;

/// The autoencoders' shared target (mode std 0.05).
const TARGET: &str = "gaussians8";
const WAES: [&str; 3] = ["wae-mmd", "wae-gan", "wvae"];
/// The other generative targets on which the codes must match the prior (seed 0).
const OTHER_TARGETS: [&str; 5] = ["ring", "moons", "swissroll", "checkerboard", "grid25"];
/// Autoencoder steps of the full run.
const AE_STEPS: usize = 6000;
/// Seeds of the blur and ordering claims (more than the dual claims: they are about spread).
const SEEDS: u64 = 5;

/// Steps of a WAE's runs for the codes-against-prior claim: the method's own default where it
/// sets one (WVAE settles over 9000), else the blur claim's equal budget.
fn latent_steps(method: &str) -> Result<usize> {
    let own = registry::method(method)?.own_default(STEPS.spec);
    Ok(own.and_then(|v| v.parse().ok()).unwrap_or(AE_STEPS))
}

/// `method` on `pair` for each seed of `seeds`.
fn seeds(b: Budget, method: &'static str, pair: &'static str, steps: usize, seeds: u64) -> Vec<RunSpec> {
    (0..seeds).map(|s| RunSpec::new(method, pair, s, b.steps(steps)).set("eval_n", b.eval_n)).collect()
}

fn take(runs: &mut Vec<Run>, n: usize) -> Vec<Run> {
    runs.drain(..n).collect()
}

/// Mean and (min, max) of `v`, as "mean (min–max)".
fn spread(v: &[f64]) -> String {
    let mean = v.iter().sum::<f64>() / v.len().max(1) as f64;
    let (lo, hi) = v.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| (a.min(x), b.max(x)));
    format!("{mean:.3} ({lo:.3}–{hi:.3})")
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len().max(1) as f64
}

fn std(v: &[f64]) -> f64 {
    let m = mean(v);
    (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / v.len().max(1) as f64).sqrt()
}

/// Every primal-family claim.
pub fn claims(b: Budget) -> Result<Vec<Row>> {
    let n_seeds = if b.seeds == 1 { 1 } else { SEEDS };
    let per = n_seeds as usize;
    let blur: Vec<RunSpec> = ["vae", "wae-mmd", "wae-gan", "wvae"]
        .iter()
        .flat_map(|m| seeds(b, m, TARGET, AE_STEPS, n_seeds))
        .map(|s| s.probe(decoded_modes))
        .collect();
    let budgets: Vec<usize> = WAES.iter().map(|m| latent_steps(m)).collect::<Result<_>>()?;
    // the codes against the prior at each WAE's own budget: gaussians8 runs of their own where it
    // is not the blur claim's
    let own: Vec<RunSpec> = WAES
        .iter()
        .zip(&budgets)
        .filter(|(_, s)| **s != AE_STEPS)
        .flat_map(|(m, s)| seeds(b, m, TARGET, *s, n_seeds))
        .collect();
    let other: Vec<RunSpec> = WAES
        .iter()
        .zip(&budgets)
        .flat_map(|(m, s)| OTHER_TARGETS.iter().flat_map(|p| seeds(b, m, p, *s, 1)))
        .collect();
    let order: Vec<RunSpec> = [
        seeds(b, "w2gan", TARGET, 5000, n_seeds)
            .into_iter()
            // the paper's generator step, at the settings the table was measured with
            .map(|s| s.set("mode", "generative").paper_step().probe(wgan_dual))
            .collect::<Vec<_>>(),
        seeds(b, "mke", TARGET, 5000, n_seeds),
        seeds(b, "wvae", TARGET, AE_STEPS, n_seeds)
            .into_iter()
            .map(|s| s.set("lambda_latent", 1000).set("settle", 0).probe(wvae_objective))
            .collect(),
    ]
    .concat();
    let all: Vec<RunSpec> = [&blur, &own, &other, &order].into_iter().flatten().cloned().collect();
    let mut runs = run_all(&all)?;
    let r_blur = take(&mut runs, blur.len());
    let r_own = take(&mut runs, own.len());
    let r_other = take(&mut runs, other.len());
    let r_order = take(&mut runs, order.len());

    let mut rows = Vec::new();
    // codes against the prior, per WAE: gaussians8 seeds and the other targets
    let ratio = |r: &Run| r.last.latent_w2sq.unwrap_or(f64::NAN) / r.latent_floor.unwrap_or(f64::NAN);
    let mut ratios = Vec::new();
    let mut value = Vec::new();
    let mut r_own = r_own.chunks(per);
    for (k, m) in WAES.iter().enumerate() {
        let runs = if budgets[k] == AE_STEPS {
            &r_blur[(k + 1) * per..(k + 2) * per]
        } else {
            r_own.next().unwrap_or(&[])
        };
        let g8: Vec<f64> = runs.iter().map(ratio).collect();
        let others = &r_other[k * OTHER_TARGETS.len()..(k + 1) * OTHER_TARGETS.len()];
        let named: Vec<String> =
            OTHER_TARGETS.iter().zip(others).map(|(p, r)| format!("{p} {:.2}", ratio(r))).collect();
        value.push(format!("{m} {} (gaussians8), {}", list(&g8), named.join(", ")));
        ratios.extend(g8);
        ratios.extend(others.iter().map(ratio));
    }
    rows.push(Row {
        claim: "WAE codes f(y) match the prior".into(),
        source: "Tolstikhin et al. 2018; Bousquet et al. 2017 (the cookbook)".into(),
        measure: format!(
            "W2²(codes, prior samples) / W2² between two prior samples (exact, held-out), ≤ 2 counts; each \
             WAE at its default steps where it sets them, else the blur row's {} ({})",
            b.steps(AE_STEPS),
            WAES.iter()
                .zip(&budgets)
                .map(|(m, s)| format!("{m} {}", b.steps(*s)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        value: value.join("; "),
        verdict: Verdict::of(ratios.iter().filter(|&&r| r <= 2.0).count(), ratios.len()),
        command: blur[per].command(),
    });
    // blur: decoded prior samples against the modes
    let dist = |k: usize| -> Vec<f64> { r_blur[k * per..(k + 1) * per].iter().map(|r| r.probe[0]).collect() };
    let share =
        |k: usize| -> Vec<f64> { r_blur[k * per..(k + 1) * per].iter().map(|r| r.probe[1]).collect() };
    let sharper =
        (1..4).filter(|&k| mean(&dist(k)) < mean(&dist(0)) && mean(&share(k)) > mean(&share(0))).count();
    let names = ["VAE", "WAE-MMD", "WAE-GAN", "WVAE"];
    let blur_value: Vec<String> = (0..4)
        .map(|k| format!("{}: distance {}, within 3 std {}", names[k], spread(&dist(k)), spread(&share(k))))
        .collect();
    rows.push(Row {
        claim: "VAE samples fall between the modes (blur); WAE samples stay on them".into(),
        source: "Bousquet et al. 2017 (the cookbook); Tolstikhin et al. 2018".into(),
        measure: format!(
            "decoded prior samples on gaussians8: mean distance to the nearest mode centre and share within 3 std (mean (min–max) over seeds 0–{}); a WAE counts when both beat the VAE",
            n_seeds - 1
        ),
        value: blur_value.join("; "),
        verdict: Verdict::of(sharper, 3),
        command: blur[0].command(),
    });
    // E(θ_WGAN) ≤ E(θ_MKE) ≤ E(θ_WVAE)
    let e_wgan: Vec<f64> = r_order[..per].iter().map(|r| r.probe[0]).collect();
    let e_mke: Vec<f64> = r_order[per..2 * per].iter().map(|r| r.last.w2sq).collect();
    // the coupling (y, g(f(y))) costs the reconstruction; S_ε says how far f#ν is from the prior
    let e_wvae: Vec<f64> = r_order[2 * per..].iter().map(|r| r.probe[0]).collect();
    let penalty: Vec<f64> = r_order[2 * per..].iter().map(|r| r.probe[1]).collect();
    let w2 =
        |range: std::ops::Range<usize>| -> Vec<f64> { r_order[range].iter().map(|r| r.last.w2sq).collect() };
    let (w2_wgan, w2_wvae) = (w2(0..per), w2(2 * per..3 * per));
    let ordered = (0..per).filter(|&s| e_wgan[s] <= e_mke[s] && e_mke[s] <= e_wvae[s]).count();
    rows.push(Row {
        claim: "E(θ_WGAN) ≤ E(θ_MKE) ≤ E(θ_WVAE): a restricted dual is a lower bound, a restricted coupling an upper bound".into(),
        source: "Genevay & Peyré, \"GAN and VAE from an optimal transport point of view\", §4".into(),
        measure: format!(
            "each objective at its trained parameters on held-out samples (gaussians8, seeds 0–{}): WGAN = W2GAN critic with the exact c-transform (a lower bound on W2²), MKE = exact W2², WVAE = the reconstruction E‖y − g(f(y))‖² (the cost of a coupling, an upper bound once f#ν is the prior; trained with λ = 1000); the verdict reads the reconstruction alone, and S_ε(f#ν, prior) on 1024 held-out codes says how far f#ν is from the prior (between two prior samples of that size S_ε is −0.0006 ± 0.0055 over 20 draws)",
            n_seeds - 1
        ),
        value: format!(
            "E_WGAN {} ≤ E_MKE {} ≤ E_WVAE {} (S_ε(codes, prior) {}); each generator's exact W2²: WGAN {}, MKE {}, WVAE {}",
            list(&e_wgan),
            list(&e_mke),
            list(&e_wvae),
            list(&penalty),
            list(&w2_wgan),
            list(&e_mke),
            list(&w2_wvae)
        ),
        verdict: Verdict::of(ordered, per),
        command: order[2 * per].command(),
    });
    let (s_wgan, s_mke, s_wvae) = (std(&w2_wgan), std(&e_mke), std(&w2_wvae));
    rows.push(Row {
        claim: "VAE-type training is more stable than GAN training".into(),
        source: "Genevay & Peyré, §4".into(),
        measure: format!(
            "std of the final exact W2² over seeds 0–{} (gaussians8); reproduced when WVAE's < WGAN's",
            n_seeds - 1
        ),
        value: format!("WGAN {s_wgan:.4}, MKE {s_mke:.4}, WVAE {s_wvae:.4}"),
        verdict: if per < 2 {
            Verdict::NotReproduced
        } else if s_wvae < s_wgan {
            Verdict::Reproduced
        } else {
            Verdict::NotReproduced
        },
        command: order[0].command(),
    });
    Ok(rows)
}

/// Decoded prior samples against the target's modes: mean distance to the nearest centre and the
/// share within 3 std of one.
fn decoded_modes(t: &mut Trainer) -> Result<Vec<f64>> {
    let z = t.eval_source().clone();
    let g = t.model().apply(&z);
    let (dist, share) = mode_distances(&g, &t.pair.y)?;
    Ok(vec![dist, share])
}

/// Mean distance of `points` to the nearest centre of a Gaussian mixture, and the share of
/// them on a mode (within `OFF_MODE_STDS` standard deviations of a centre; see `Dist::off_modes`).
pub fn mode_distances(points: &Points, target: &Dist) -> Result<(f64, f64)> {
    let Dist::Mixture { centres, blob: Blob::Gaussian { .. }, .. } = target else {
        return Err(Error::config("pair", "mode distances need a Gaussian-mixture target (e.g. gaussians8)"));
    };
    let n = points.nrows().max(1) as f64;
    let nearest: Vec<f64> = (0..points.nrows())
        .map(|i| {
            centres
                .iter()
                .map(|c| ((points[(i, 0)] - c[0]).powi(2) + (points[(i, 1)] - c[1]).powi(2)).sqrt() as f64)
                .fold(f64::INFINITY, f64::min)
        })
        .collect();
    let within = 1.0 - target.off_modes(points).unwrap_or(1.0);
    Ok((nearest.iter().sum::<f64>() / n, within))
}

/// The W2GAN critic's dual value with the exact c-transform over the held-out samples:
/// 2·(mean φ(G(z)) + mean φ^c(y)), φ^c(y) = min_x ½‖x − y‖² − φ(x) over the generated x — a
/// lower bound on W2² between the held-out generated and target samples.
fn wgan_dual(t: &mut Trainer) -> Result<Vec<f64>> {
    let z = t.eval_source().clone();
    let g = t.model().apply(&z);
    let y = t.eval_target().clone();
    let fields = t.model().critic(&g);
    let phi = &fields.first().ok_or_else(|| Error::config("method", "needs a critic"))?.1;
    let phi_c: f64 = (0..y.nrows())
        .map(|j| {
            (0..g.nrows())
                .map(|i| 0.5 * (g.row(i) - y.row(j)).norm_squared() as f64 - phi[i] as f64)
                .fold(f64::INFINITY, f64::min)
        })
        .sum::<f64>()
        / y.nrows() as f64;
    let phi_mean = phi.iter().map(|&v| v as f64).sum::<f64>() / phi.len().max(1) as f64;
    Ok(vec![2.0 * (phi_mean + phi_c)])
}

/// WVAE's objective on held-out samples, in two parts: the reconstruction E‖y − g(f(y))‖² and
/// S_ε(codes, prior) by the training estimator (two halves of the first 1024 of each, 0 in
/// expectation when codes and prior samples are alike).
fn wvae_objective(t: &mut Trainer) -> Result<Vec<f64>> {
    let y = t.eval_target().clone();
    let rec = t.model().reconstruct(&y).ok_or_else(|| Error::config("method", "needs an autoencoder"))?;
    let r =
        (0..y.nrows()).map(|i| (y.row(i) - rec.row(i)).norm_squared() as f64).sum::<f64>() / y.nrows() as f64;
    let codes = t.model().encode(&y).ok_or_else(|| Error::config("method", "needs an autoencoder"))?;
    let k = codes.nrows().min(1024);
    let (q, p) = (codes.rows(0, k).into_owned(), t.eval_source().rows(0, k).into_owned());
    let eps = t.cfg.get(crate::method::keys::SINKHORN_EPS);
    let s = sinkhorn_divergence(Tape::new().leaf(&q), &p, eps)?.scalar() as f64;
    Ok(vec![r, s])
}
