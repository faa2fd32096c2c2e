//! Autoencoders (math.md §4): VAE, WAE-GAN, WAE-MMD and WVAE. An encoder f sends data y to codes
//! z, a decoder g sends codes back; the four differ in how the codes are made to match the prior
//! N(0, I): a KL term per sample (VAE) or a distance between the code cloud and prior samples.

use super::losses::{pair_sq_dist, plan_cost};
use super::nets::{Net, Role, describe_halving, update_all};
use super::{first_non_finite, load_nets, save_nets, short};
use crate::autodiff::{Tape, Var};
use crate::data::Points;
use crate::error::{Error, Result};
use crate::method::keys::{
    BATCH, BETA1, CRITIC_LR, CRITIC_NET, DEC_STD, ENC_HALFLIFE, ENC_LR, ENC_NET, ENCODER, GEN_ACT, GEN_BN,
    GEN_LR, GEN_NET, KeySpec, LAMBDA_LATENT, LATENT_DIM, N_CRITIC, SETTLE, SETTLE_LAMBDA, SETTLING,
    SINKHORN_EPS, STEPS,
};
use crate::method::{Batches, Config, Family, Losses, Method, Mode, Model, Preset};
use crate::nn;
use crate::ot::Sinkhorn;
use crate::rng::{self, Rng};
use serde_json::Value;

/// Defaults every autoencoder shares: small smooth decoders without batch norm.
const AE_DEFAULTS: &[(&KeySpec, &str)] =
    &[(GEN_LR.spec, "1e-3"), (GEN_BN.spec, "false"), (GEN_ACT.spec, "elu")];
const STEP: &str = "encoder/decoder step";

/// The variational autoencoder.
pub const VAE: Method = Method {
    name: "vae",
    family: Family::Primal,
    modes: &[Mode::Generative],
    keys: &[GEN_NET, ENC_NET, &[DEC_STD.spec, LATENT_DIM.spec]],
    defaults: AE_DEFAULTS,
    trains: "a Gaussian encoder q(z|y) and a decoder g(z)",
    loss: "min KL(q(z|y) ‖ N(0, I)) + ‖y − g(z)‖² / (2σ_dec²), z ~ q(z|y)",
    watch: "the KL term pulls every code toward N(0, I), yet the codes form separate clumps, one per mode, \
            and leave the prior's mass in the gaps (latent W2² several times its floor). Prior samples \
            from the gaps decode between the modes, on arcs joining them and inside the ring: the \
            cookbook's blur",
    shows: &[],
    measured: "At 6000 steps (seeds 0–2) the latent W2² is 3.9–6.2× its floor on gaussians8 (the vae-blur \
               preset; 10.6–12.7× with eval_n = 2048, whose floor is smaller) and 1.8–4.5× on \
               gaussians4. At 6000 steps on gaussians8 (seeds 0–4) decoded prior samples lie 0.217 (0.195–0.232) from \
               the nearest mode centre and 50 % fall within 3 std of one: as close as WAE-MMD's (0.206, \
               51 %), closer than WAE-GAN's and WVAE's (the claims table's blur row). The cookbook expects \
               the WAEs to win clearly",
    step_name: STEP,
    presets: &[Preset {
        name: "vae-blur",
        about: "VAE on 8 Gaussians: decoded samples between the modes (the cookbook's blur); compare wae-mmd-modes",
        query: "pair=gaussians8&latent_dim=2",
    }],
    build: |cfg, _, r| Ok(Box::new(Autoencoder::new(cfg, Penalty::Kl, r)?)),
};

/// The Wasserstein autoencoder with a latent discriminator (POT / AAE).
pub const WAE_GAN: Method = Method {
    name: "wae-gan",
    family: Family::Primal,
    modes: &[Mode::Generative],
    keys: &[
        GEN_NET,
        ENC_NET,
        CRITIC_NET,
        &[ENCODER.spec, N_CRITIC.spec, LAMBDA_LATENT.spec, LATENT_DIM.spec],
    ],
    // measured at 6000 steps (latent W2² over its floor, gaussians8): the WAE paper's λ = 1 with
    // one discriminator update per step leaves the codes in 8 clumps (36×; λ = 10 alone: 36×); five
    // updates bring 17× (λ = 1) and 1.5–2.6× (λ = 10) but the codes keep oscillating; encoder and
    // decoder at lr 1e-4 then settle them at 1.4–1.9× for seeds 0–4 (ring 1.3×). An R1 gradient
    // penalty on the discriminator did not help (1.4–5.0×)
    defaults: &[
        (GEN_LR.spec, "1e-4"),
        (ENC_LR.spec, "1e-4"),
        (GEN_BN.spec, "false"),
        (GEN_ACT.spec, "elu"),
        (CRITIC_LR.spec, "5e-4"),
        (N_CRITIC.spec, "5"),
        (BETA1.spec, "0.5"),
    ],
    trains: "an encoder f (Gaussian or deterministic), a decoder g, and a latent discriminator",
    loss: "min E‖y − g(f(y))‖² + λ·GAN(f#ν, prior)",
    watch: "codes f(y) fill the prior when the discriminator keeps up (five updates per step) and the \
            encoder moves slowly; decoded samples g(z) then run along the circle between the modes, \
            because a continuous decoder cannot tear one connected Gaussian into 8 separate modes",
    shows: &[],
    measured: "On gaussians8 the latent W2² comes to 1.4–1.9× its floor over seeds 0–4 at 6000 steps",
    step_name: STEP,
    presets: &[],
    build: |cfg, _, r| Ok(Box::new(Autoencoder::new(cfg, Penalty::Adversarial, r)?)),
};

/// The Wasserstein autoencoder with an MMD penalty.
pub const WAE_MMD: Method = Method {
    name: "wae-mmd",
    family: Family::Primal,
    modes: &[Mode::Generative],
    keys: &[GEN_NET, ENC_NET, SETTLING, &[ENCODER.spec, LAMBDA_LATENT.spec, LATENT_DIM.spec]],
    // measured at 2000 steps, seed 0 (latent W2² over its floor): a deterministic encoder leaves
    // the codes in clumps (7.4× on gaussians8 whatever λ, 2.5× after 10 000 steps); a Gaussian
    // encoder with λ = 50 gives 1.5–2.0× on gaussians8, ring, moons, swissroll and checkerboard
    // (λ = 100 fills the prior better but decodes worse samples, λ = 10 leaves 2–4×); at 6000
    // steps enc_halflife 2000 brings seed 0 from 2.1× to 1.8× but seed 1 from 1.4× to 6.6×.
    // 6000 steps, gaussians8 seeds 2–4, grid25 and swissroll: λ = 200 with lr 3e-3 (the
    // wae-mmd-prior preset) 1.1–1.5× but decoded samples at 6–88× their floor; kernel scales down
    // to 0.01 (to see the stripes the codes form on grid25) 1.6× on seeds 0 / 1 but 9.4 / 12.9× on
    // seeds 3 / 4; networks 128 wide 1.6–7.5×; batch 1024 seed 0 2.0× at 12× the time; lr 1e-3
    // 1.6–2.2× (λ = 50), 1.2–2.5× with checkerboard 2.5× and the ring decoded at 53× (λ = 100),
    // 1.4–1.9× on those five with decoded samples at 3.7–20× (λ = 150). Without settling the codes
    // wander between 1.3× and 4.3× from step 1000 on and end at 1.4–2.1× (seeds 0–4), swissroll
    // 2.2×, grid25 2.8×; settling over the last half (rates to a tenth, λ × 3): 1.0–1.6×, every
    // other target 1.2–1.9× (λ × 2: grid25 2.0×; λ × 4: the ring decoded at 27× its floor)
    defaults: &[
        (GEN_LR.spec, "1e-2"),
        (ENC_LR.spec, "1e-2"),
        (GEN_BN.spec, "false"),
        (GEN_ACT.spec, "elu"),
        (LAMBDA_LATENT.spec, "50"),
        (STEPS.spec, "6000"),
        (SETTLE.spec, "0.5"),
        (SETTLE_LAMBDA.spec, "3"),
    ],
    trains: "an encoder f (Gaussian or deterministic) and a decoder g",
    loss: "min E‖y − g(f(y))‖² + λ·MMD(f#ν, prior), inverse multiquadric kernels at 7 scales",
    watch: "the multi-scale MMD term pushes the codes toward the prior without a discriminator \
            (its unbiased estimate dips below 0 once they are alike); the Gaussian encoder's spread \
            lets them fill it. They wander while the learning rates are high; at the defaults the run \
            settles from step 3000 (rates to a tenth, λ × 3 by 6000)",
    shows: &[],
    measured: "At 6000 steps the latent W2² is 1.0–1.6× its floor on gaussians8 (seeds 0–4) and 1.2–1.9× \
               on the ring, moons, swissroll, checkerboard and grid25; without settling (settle=0) \
               1.4–2.1× and up to 2.8×, the codes forming stripes finer than the kernels see; with \
               encoder=deterministic they stay in clumps at 7×. Settling costs the ring's decoded \
               samples (22× their floor against 13.5×, seed 0). The wae-mmd-prior preset (λ = 200 \
               throughout) fills the prior (1.1–1.5×) by letting the encoder forget the data: decoded \
               samples collapse onto one curve (6–88× their floor)",
    step_name: STEP,
    presets: &[
        Preset {
            name: "wae-mmd-modes",
            about: "WAE-MMD on 8 Gaussians: compare its samples with the VAE's",
            query: "pair=gaussians8&latent_dim=2",
        },
        Preset {
            name: "wae-mmd-prior",
            about: "WAE-MMD with λ = 200: codes that fill the prior, and decoded samples that lose the modes",
            query: "pair=gaussians8&latent_dim=2&lambda_latent=200&gen_lr=3e-3&enc_lr=3e-3&settle=0",
        },
    ],
    build: |cfg, _, r| Ok(Box::new(Autoencoder::new(cfg, Penalty::Mmd, r)?)),
};

/// Genevay & Peyré's Wasserstein VAE: a Sinkhorn divergence between codes and the prior.
pub const WVAE: Method = Method {
    name: "wvae",
    family: Family::Primal,
    modes: &[Mode::Generative],
    keys: &[
        GEN_NET,
        ENC_NET,
        SETTLING,
        &[ENCODER.spec, LAMBDA_LATENT.spec, SINKHORN_EPS.spec, LATENT_DIM.spec],
    ],
    // same-batch estimator at ε = 0.5, 2000 steps, seed 0: λ = 10 leaves the codes at 2.3× the
    // latent floor on gaussians8, 20 brings 2.2× (ring 1.4×); over 6000 steps lr 1e-2 gave 1.6–4.5×
    // on seeds 0–4, lr 1e-3 2.3–3.7×. Half-batch estimator, 6000 steps, seeds 0 / 1: ε = 0.5
    // 3.9 / 2.4×, ε = 0.1 3.2 / 2.4× (seeds 0–4 1.9–3.2×, ring 2.05×), ε = 0.02 2.8× (seed 0, 2.5×
    // slower); λ = 100 at ε = 0.1 1.7× but decoded samples at 21× their floor (3.2× at λ = 20).
    // The codes drift as the decoder sharpens (eval_n 2048, 6000 steps, seeds 0 / 1 / 2 / 3):
    // λ = 40 alone 2.0 / 2.5×; with enc_lr 3e-4 1.7 / 1.9×; adding enc_halflife 2000 (the
    // wvae-prior preset) 1.26 / 1.30 / 1.06 / 1.00× (seeds 0–4 1.00–1.30×, ring, moons, swissroll,
    // checkerboard, grid25 1.06–1.38×), but its encoder learns too little: decoded samples at
    // 3.7–8.2× their floor on gaussians8 (filling the disc between the modes) and 18.6× on moons,
    // a shrunken curve (6.9× at the defaults of then, without settling), so the defaults stayed; λ = 20 with enc_halflife
    // 2000 2.3 / 2.3 / 1.5×; λ = 40 with enc_halflife 1000 (enc_lr 1e-3) 1.1–1.6× on seeds 0–4 but
    // the same shrunken samples (decoded 2.7–8.0× against 2.5–4.4× without settling, moons 12.7×); batch 256
    // (3.8× the time: 725 s) 1.80 / 2.44 / 1.96× on seeds 0 / 1 / 2 with decoded 3.8 / 2.8 / 6.6×;
    // λ = 40 with enc_lr 3e-4 alone 1.45–2.37× on seeds 0–4 (seed 4 2.37×), 1.37–1.93× on the other
    // targets, decoded worse (ring 39.5×, moons 14.1×, swissroll 25.7×). Settling over the last
    // half (rates to a tenth, λ × 3): 1.15–1.73× on seeds 0–3, 2.15× on seed 4 (λ × 4: 2.02×, the
    // ring decoded at 41×), 1.2–1.8× on the other targets. Seed 4 with settling: over the last
    // three quarters 2.12×, ε = 0.05 2.17×; λ = 40 1.54× and on seeds 0–3 1.21 / 1.42 / 1.16 /
    // 1.00×, but decoded samples on seeds 2 / 3 at 8.8 / 7.3× their floor against 5.5 / 4.9× at λ = 20
    // (λ = 30: seed 4 1.31×, seeds 2 / 3 1.14 / 1.06× but decoded 8.2 / 6.3×). Settling over a longer
    // run instead, steps 4500–9000: 1.48 / 1.49 / 1.24 / 1.35 / 1.71× on seeds 0–4 (against 1.73 /
    // 1.47 / 1.22 / 1.15 / 2.15× over 3000–6000), decoded 3.1 / 2.1 / 4.1 / 4.8 / 3.5×, ring 1.06×,
    // moons 1.33×, swissroll 1.29×, checkerboard 1.42×, grid25 1.74×. Seed 4's latent panel at step
    // 9000 still shows two vertical streaks of codes near the prior's centre (three at 6000): 1.71×
    // counts them less than the eye does
    defaults: &[
        (GEN_LR.spec, "1e-3"),
        (GEN_BN.spec, "false"),
        (GEN_ACT.spec, "elu"),
        (BATCH.spec, "128"),
        (SINKHORN_EPS.spec, "0.1"),
        (LAMBDA_LATENT.spec, "20"),
        (STEPS.spec, "9000"),
        (SETTLE.spec, "0.5"),
        (SETTLE_LAMBDA.spec, "3"),
    ],
    trains: "an encoder f (Gaussian or deterministic) and a decoder g",
    loss: "min E‖y − g(f(y))‖² + λ·S_ε(f#ν, prior), S_ε the Sinkhorn divergence",
    watch: "an OT distance in latent space pulls the codes onto the prior (estimated between two halves \
            of each batch: 0 on average once they are alike). Four Sinkhorn problems per step make it \
            slow (≈ 15 steps/s in a browser). At the defaults it settles from step 4500 \
            (learning rates to a tenth, λ × 3 by 9000: about 10 minutes)",
    shows: &[],
    measured: "Single batches' estimates dip below 0. On gaussians8 the codes reach 1.3–1.8× the latent \
               floor within 500 steps and, as the decoder sharpens, drift to 1.9–3.2× by step 6000 \
               without settling (settle=0); settled over steps 3000–6000, 1.15–1.73× on seeds 0–3 but \
               2.15× on seed 4; over 4500–9000 (the defaults) 1.24–1.71× on seeds 0–4 (seed 4 keeps two \
               streaks of codes near the centre) and 1.06–1.74× on the other targets. The wvae-prior preset slows the encoder (its learning \
               rate halves every 2000 steps): the codes stay on the prior (1.0–1.3×) but the encoder \
               learns too little, and decoded samples fill the disc between the modes",
    step_name: STEP,
    presets: &[Preset {
        name: "wvae-prior",
        about: "WVAE whose encoder slows down: codes that match the prior, and what that costs the samples",
        query: "pair=gaussians8&lambda_latent=40&enc_lr=3e-4&enc_halflife=2000&settle=0",
    }],
    build: |cfg, _, r| Ok(Box::new(Autoencoder::new(cfg, Penalty::Sinkhorn, r)?)),
};

/// How the codes are pulled toward the prior.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Penalty {
    /// VAE: Gaussian encoder, KL(q(z|y) ‖ N(0, I)) per sample, reconstruction / (2σ_dec²).
    Kl,
    /// WAE-GAN: a latent discriminator tells codes from prior samples.
    Adversarial,
    /// WAE-MMD: MMD with the inverse multiquadric kernel C / (C + ‖a − b‖²), C = 2·dim.
    Mmd,
    /// WVAE: the Sinkhorn divergence S_ε between codes and prior samples.
    Sinkhorn,
}

/// Encoder, decoder and (WAE-GAN) latent discriminator.
pub struct Autoencoder {
    penalty: Penalty,
    /// Whether the encoder outputs (μ, log σ²) of a Gaussian q(z|y) rather than the code itself.
    gaussian: bool,
    encoder: Net,
    decoder: Net,
    discriminator: Option<Net>,
    dim: usize,
    lambda: f32,
    dec_std: f32,
    sinkhorn_eps: f64,
    /// Steps over which the encoder's learning rate halves (0: no halving).
    enc_halflife: f32,
    /// WAE-MMD's and WVAE's settling phase (none for the others).
    settle: Settle,
    /// Encoder/decoder steps taken.
    steps: usize,
    n_critic: usize,
    batch: usize,
    tape: Tape,
}

impl Autoencoder {
    /// Networks for a `latent_dim` code space.
    pub fn new(cfg: &Config, penalty: Penalty, r: &mut Rng) -> Result<Autoencoder> {
        let dim = cfg.get(LATENT_DIM);
        let gaussian = penalty == Penalty::Kl || cfg.get(ENCODER) == "gaussian";
        let code = if gaussian { 2 * dim } else { dim };
        let discriminator = if penalty == Penalty::Adversarial {
            Some(Net::new(cfg, Role::Critic, dim, 1, false, r)?)
        } else {
            None
        };
        let mut m = Autoencoder {
            penalty,
            gaussian,
            encoder: Net::new(cfg, Role::Encoder, 2, code, false, r)?,
            decoder: Net::new(cfg, Role::Generator, dim, 2, false, r)?,
            discriminator,
            dim,
            lambda: 0.0,
            dec_std: 1.0,
            sinkhorn_eps: 0.1,
            enc_halflife: 0.0,
            settle: Settle::NONE,
            steps: 0,
            n_critic: 1,
            batch: 1,
            tape: Tape::new(),
        };
        m.configure(cfg);
        Ok(m)
    }

    /// The networks by name.
    fn nets(&self) -> Vec<(&'static str, &Net)> {
        let mut nets = vec![("encoder", &self.encoder), ("decoder", &self.decoder)];
        nets.extend(self.discriminator.iter().map(|d| ("discriminator", d)));
        nets
    }

    /// Codes of `y` on plain data: for a Gaussian encoder one draw z ~ q(z|y) per point with
    /// noise from `r` (the codes the prior must match are these draws, not their means).
    fn codes(&mut self, y: &Points, r: &mut Rng) -> Points {
        let e = self.encoder.eval(&mut self.tape, y);
        if !self.gaussian {
            return e;
        }
        let noise = Points::from_fn(y.nrows(), self.dim, |_, _| rng::normal(r));
        gaussian_code(self.tape.leaf(&e), self.tape.leaf(&noise), self.dim).2.to_mat()
    }
}

/// A Gaussian encoder's output [μ | log σ²] (log σ² bounded) and one reparameterised draw
/// z = μ + exp(½ log σ²)·ε from the standard normal `noise` ε: (μ, log σ², z).
fn gaussian_code<'t>(enc: Var<'t>, noise: Var<'t>, d: usize) -> (Var<'t>, Var<'t>, Var<'t>) {
    let (mu, logvar) = (enc.slice_cols(0, d), enc.slice_cols(d, d).clamp(-LOGVAR_BOUND, LOGVAR_BOUND));
    (mu, logvar, mu + (logvar * 0.5).exp() * noise)
}

/// A WAE's settling phase: over the last part of a run both learning rates fall linearly to
/// `SETTLED_LR` of theirs and λ grows linearly by a factor, so that the codes, which wander while
/// the rates are high, come to rest nearer the prior.
#[derive(Clone, Copy, Debug)]
struct Settle {
    /// Step at which the phase begins and step at which it ends.
    from: f32,
    to: f32,
    /// The factor λ has grown by at the end.
    lambda: f32,
}

/// The learning rates at the end of a settling phase, as a fraction of the configured ones.
const SETTLED_LR: f32 = 0.1;

impl Settle {
    /// No settling: the factors stay 1.
    const NONE: Settle = Settle { from: 0.0, to: 0.0, lambda: 1.0 };

    /// The last `fraction` of `steps`, at the end of which λ has grown by `lambda`.
    fn new(steps: usize, fraction: f32, lambda: f32) -> Settle {
        Settle { from: steps as f32 * (1.0 - fraction), to: steps as f32, lambda }
    }

    /// Whether there is a phase at all.
    fn on(&self) -> bool {
        self.to > self.from
    }

    /// How far step `k` (counted from 0) is through the phase: 0 before it, 1 at its end and after.
    fn progress(&self, k: usize) -> f32 {
        if !self.on() { 0.0 } else { ((k as f32 - self.from) / (self.to - self.from)).clamp(0.0, 1.0) }
    }

    /// The learning rates' factor at step `k`.
    fn lr_scale(&self, k: usize) -> f32 {
        1.0 - (1.0 - SETTLED_LR) * self.progress(k)
    }

    /// λ's factor at step `k`.
    fn lambda_scale(&self, k: usize) -> f32 {
        1.0 + (self.lambda - 1.0) * self.progress(k)
    }

    /// Where step `k` stands in the phase, in words, for a configured weight `lambda` (None
    /// without a phase).
    fn describe(&self, k: usize, lambda: f32) -> Option<String> {
        if !self.on() {
            return None;
        }
        let (from, to) = (self.from.round(), self.to);
        let now = |lr: f32, l: f32| format!("learning rates × {}, λ = {}", short(lr), short(lambda * l));
        Some(if (k as f32) < from {
            format!("settles over steps {from}–{to} (to {})", now(SETTLED_LR, self.lambda))
        } else if (k as f32) < to {
            format!("settling, steps {from}–{to}: {}", now(self.lr_scale(k), self.lambda_scale(k)))
        } else {
            format!("settled at step {to}: {}", now(SETTLED_LR, self.lambda))
        })
    }
}

/// Bound on a Gaussian encoder's log σ² (keeps exp finite while a run diverges).
const LOGVAR_BOUND: f32 = 12.0;
/// Seed of the noise that draws evaluation codes from a Gaussian encoder (fixed, so that
/// evaluations repeat).
const CODE_NOISE_SEED: u64 = 0x0c0de;

/// Scales of the inverse multiquadric kernels, as multiples of 2·dim (Tolstikhin et al.; one
/// scale cannot see codes that clump, math.md §4).
const IMQ_SCALES: [f32; 7] = [0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0];

/// Unbiased MMD² between codes q and prior samples p with the kernel Σ_C C / (C + ‖a − b‖²) over
/// C ∈ `IMQ_SCALES` · 2·dim.
fn mmd_imq<'t>(q: Var<'t>, p: Var<'t>) -> Var<'t> {
    let (n, d) = q.shape();
    let tape = q.tape();
    let k = |a: Var<'t>, b: Var<'t>| {
        let dist = pair_sq_dist(a, b);
        let terms = IMQ_SCALES.iter().map(|s| {
            let c = s * 2.0 * d as f32;
            tape.scalar(c) / (dist + c)
        });
        terms.reduce(|acc, t| acc + t).unwrap_or(dist)
    };
    let scales = IMQ_SCALES.len() as f32;
    let off_diagonal = |s: Var<'t>| (s.sum() - n as f32 * scales) * (1.0 / (n * (n - 1)) as f32);
    off_diagonal(k(q, q)) + off_diagonal(k(p, p)) - k(q, p).mean() * 2.0
}

/// S_ε(q, p) = OT_ε(q, p) − ½OT_ε(q, q′) − ½OT_ε(p, p′) estimated on two independent halves of
/// each batch (q and p of equal size n ≥ 2; an odd batch leaves its last row out): ½ the costs of
/// the two half-to-half plans from codes to prior samples, less ½ the cost between the two halves
/// of the codes and ½ that between the two halves of the prior samples. It is 0 in expectation
/// when the codes are prior samples; OT_ε(q, q) of a batch with itself has no sampling bias to
/// cancel the one in OT_ε(q, p). The plans are held fixed, so the gradient is the envelope-theorem
/// gradient of the entropic problems (the value reported is their transport cost ⟨P, C⟩).
pub fn sinkhorn_divergence<'t>(q: Var<'t>, p: &Points, eps: f64) -> Result<Var<'t>> {
    let qm = q.to_mat();
    let (n, h) = (qm.nrows(), qm.nrows() / 2);
    if p.nrows() != n || h == 0 {
        return Err(Error::Shape {
            op: "sinkhorn divergence",
            msg: format!(
                "{n} codes against {} prior samples: needs two equal batches of at least 2",
                p.nrows()
            ),
        });
    }
    let solver = Sinkhorn { eps, tol: 1e-3, max_iters: 500 };
    let half = |m: &Points, k: usize| m.rows_range(k * h..(k + 1) * h).into_owned();
    // the plan from half i of one batch to half j of the other, placed in an n × n matrix
    let place = |plan: &mut Points, a: &Points, b: &Points, (i, j): (usize, usize)| -> Result<()> {
        let p = solver.solve(a, b)?.plan.map(|v| v as f32);
        plan.view_mut((i * h, j * h), (h, h)).copy_from(&p);
        Ok(())
    };
    let ((q1, q2), (p1, p2)) = ((half(&qm, 0), half(&qm, 1)), (half(p, 0), half(p, 1)));
    let (mut cross, mut within) = (Points::zeros(n, n), Points::zeros(n, n));
    place(&mut cross, &q1, &p1, (0, 0))?;
    place(&mut cross, &q2, &p2, (1, 1))?;
    place(&mut within, &q1, &q2, (0, 1))?;
    // the prior's own term has no gradient: its cost enters as a number
    let prior_self = solver.solve(&p1, &p2)?.cost as f32;
    Ok(plan_cost(&cross, q, q.tape().leaf(p)) * 0.5 - plan_cost(&within, q, q) * 0.5 - prior_self * 0.5)
}

impl Model for Autoencoder {
    fn critic_steps(&self) -> usize {
        if self.discriminator.is_some() { self.n_critic } else { 0 }
    }

    /// One update of the latent discriminator: prior samples are "real", codes are "fake".
    fn critic_step(&mut self, data: &mut Batches) -> Result<Losses> {
        let y = data.target(self.batch);
        let q = self.codes(&y, &mut data.rng);
        let p = data.source(self.batch);
        let Some(d) = &mut self.discriminator else { return Ok(Vec::new()) };
        let tape = &mut self.tape;
        tape.reset();
        let pd = d.bind(tape);
        let loss = (-d.forward(&pd, tape.leaf(&p), nn::Mode::Train)).softplus().mean()
            + d.forward(&pd, tape.leaf(&q), nn::Mode::Train).softplus().mean();
        let l = loss.scalar();
        d.update(tape, loss, &pd, "latent discriminator")?;
        Ok(vec![("latent critic", l)])
    }

    /// One update of encoder and decoder: reconstruction plus the latent penalty.
    fn generator_step(&mut self, data: &mut Batches) -> Result<Losses> {
        let y = data.target(self.batch);
        let prior = data.source(self.batch);
        let noise = Points::from_fn(self.batch, self.dim, |_, _| rng::normal(&mut data.rng));
        let tape = &mut self.tape;
        tape.reset();
        let (pe, pg) = (self.encoder.bind(tape), self.decoder.bind(tape));
        let yv = tape.leaf(&y);
        let enc = self.encoder.forward(&pe, yv, nn::Mode::Train);
        let d = self.dim;
        let (z, kl) = if self.gaussian {
            let (mu, logvar, z) = gaussian_code(enc, tape.leaf(&noise), d);
            let kl = (self.penalty == Penalty::Kl)
                .then(|| ((mu.square() + logvar.exp() - logvar) - 1.0).sum_cols().mean() * 0.5);
            (z, kl)
        } else {
            (enc, None)
        };
        let rec = (yv - self.decoder.forward(&pg, z, nn::Mode::Train)).square().sum_cols().mean();
        let penalty = match self.penalty {
            Penalty::Kl => kl.unwrap_or(rec),
            Penalty::Mmd => mmd_imq(z, tape.leaf(&prior)),
            Penalty::Sinkhorn => sinkhorn_divergence(z, &prior, self.sinkhorn_eps)?,
            Penalty::Adversarial => {
                let Some(disc) = &mut self.discriminator else { return Ok(Vec::new()) };
                let pd = disc.bind(tape);
                (-disc.forward(&pd, z, nn::Mode::Train)).softplus().mean()
            }
        };
        let loss = if self.penalty == Penalty::Kl {
            rec * (0.5 / (self.dec_std * self.dec_std)) + penalty
        } else {
            rec + penalty * (self.lambda * self.settle.lambda_scale(self.steps))
        };
        let (r, p) = (rec.scalar(), penalty.scalar());
        let lr_scale = self.settle.lr_scale(self.steps);
        self.encoder.schedule_lr(self.steps, self.enc_halflife, lr_scale);
        self.decoder.schedule_lr(self.steps, 0.0, lr_scale);
        self.steps += 1;
        update_all(
            tape,
            loss,
            &mut [(&mut self.encoder, &pe, "encoder"), (&mut self.decoder, &pg, "decoder")],
        )?;
        let name = match self.penalty {
            Penalty::Kl => "KL",
            Penalty::Adversarial => "latent GAN",
            Penalty::Mmd => "MMD",
            Penalty::Sinkhorn => "Sinkhorn divergence",
        };
        Ok(vec![("reconstruction", r), (name, p)])
    }

    fn schedule(&self) -> Option<String> {
        let parts: Vec<String> = [
            self.settle.describe(self.steps, self.lambda),
            // the encoder's halving multiplies the settling factor
            describe_halving(
                if self.settle.on() { "encoder lr also" } else { "encoder lr" },
                self.steps,
                self.enc_halflife,
            ),
        ]
        .into_iter()
        .flatten()
        .collect();
        (!parts.is_empty()).then(|| parts.join("; "))
    }

    fn configure(&mut self, cfg: &Config) {
        match self.penalty {
            Penalty::Kl => self.dec_std = cfg.get(DEC_STD),
            Penalty::Sinkhorn => {
                self.lambda = cfg.get(LAMBDA_LATENT);
                self.sinkhorn_eps = cfg.get(SINKHORN_EPS);
            }
            Penalty::Adversarial => {
                self.lambda = cfg.get(LAMBDA_LATENT);
                self.n_critic = cfg.get(N_CRITIC).max(1);
            }
            Penalty::Mmd => self.lambda = cfg.get(LAMBDA_LATENT),
        }
        if matches!(self.penalty, Penalty::Mmd | Penalty::Sinkhorn) {
            self.settle = Settle::new(cfg.get(STEPS), cfg.get(SETTLE), cfg.get(SETTLE_LAMBDA));
        }
        self.batch = cfg.get(BATCH);
        self.enc_halflife = cfg.get(ENC_HALFLIFE) as f32;
        self.encoder.configure(cfg);
        self.decoder.configure(cfg);
        if let Some(d) = &mut self.discriminator {
            d.configure(cfg);
        }
    }

    /// Decoded prior samples g(z).
    fn apply(&mut self, z: &Points) -> Points {
        self.decoder.eval(&mut self.tape, z)
    }

    fn encode(&mut self, y: &Points) -> Option<Points> {
        Some(self.codes(y, &mut rng::seeded(CODE_NOISE_SEED)))
    }

    fn reconstruct(&mut self, y: &Points) -> Option<Points> {
        let z = self.codes(y, &mut rng::seeded(CODE_NOISE_SEED));
        Some(self.decoder.eval(&mut self.tape, &z))
    }

    fn save(&self) -> Value {
        save_nets(&self.nets())
    }

    fn load(&mut self, v: &Value) -> Result<()> {
        let mut nets = vec![("encoder", &mut self.encoder), ("decoder", &mut self.decoder)];
        if let Some(d) = &mut self.discriminator {
            nets.push(("discriminator", d));
        }
        load_nets(v, &mut nets)
    }

    fn non_finite(&self) -> Option<String> {
        first_non_finite(&self.nets())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EPS: f64 = 0.1;

    #[test]
    fn the_settling_phase_lowers_the_rates_and_raises_lambda_over_the_last_part_of_the_steps() {
        let s = Settle::new(100, 0.5, 3.0);
        let at = |s: Settle, k: usize, lr: f32, lambda: f32| {
            let got = (s.lr_scale(k), s.lambda_scale(k));
            assert!((got.0 - lr).abs() < 1e-6 && (got.1 - lambda).abs() < 1e-6, "step {k}: {got:?}");
        };
        at(s, 0, 1.0, 1.0);
        at(s, 50, 1.0, 1.0);
        at(s, 75, 0.55, 2.0);
        at(s, 100, SETTLED_LR, 3.0);
        // the page trains past `steps`: the rates stay low
        at(s, 1000, SETTLED_LR, 3.0);
        at(Settle::new(100, 0.0, 3.0), 100, 1.0, 1.0);
        at(Settle::NONE, 100, 1.0, 1.0);
        // the read-out says what the settings fields do not: the rates and λ in force
        let said = |k, lambda| s.describe(k, lambda).unwrap();
        assert_eq!(said(10, 50.0), "settles over steps 50–100 (to learning rates × 0.1, λ = 150)");
        assert_eq!(said(75, 50.0), "settling, steps 50–100: learning rates × 0.55, λ = 100");
        assert_eq!(said(1000, 50.0), "settled at step 100: learning rates × 0.1, λ = 150");
        // a small λ keeps its digits
        assert_eq!(said(1000, 0.04), "settled at step 100: learning rates × 0.1, λ = 0.12");
        assert_eq!(Settle::NONE.describe(10, 50.0), None);
    }

    /// Mean and standard error over `draws` batches of 128 of S_ε(codes, prior), with the codes
    /// `codes(prior sample)`: by `sinkhorn_divergence`, or (`same_batch`, for contrast: what it
    /// replaced) with OT_ε(q, q) and OT_ε(p, p) taken within one batch.
    fn divergence(codes: impl Fn(Points) -> Points, same_batch: bool, draws: u64) -> (f64, f64) {
        let solver = Sinkhorn { eps: EPS, tol: 1e-3, max_iters: 500 };
        let v: Vec<f64> = (0..draws)
            .map(|s| {
                let mut r = rng::seeded(s);
                let q = codes(Points::from_fn(128, 2, |_, _| rng::normal(&mut r)));
                let p = Points::from_fn(128, 2, |_, _| rng::normal(&mut r));
                if same_batch {
                    let ot = |a: &Points, b: &Points| solver.solve(a, b).unwrap().cost;
                    ot(&q, &p) - 0.5 * ot(&q, &q) - 0.5 * ot(&p, &p)
                } else {
                    sinkhorn_divergence(Tape::new().leaf(&q), &p, EPS).unwrap().scalar() as f64
                }
            })
            .collect();
        let mean = v.iter().sum::<f64>() / draws as f64;
        let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (draws - 1) as f64;
        (mean, (var / draws as f64).sqrt())
    }

    #[test]
    fn the_half_batch_divergence_reads_zero_when_the_codes_are_prior_samples() {
        let (prior, se) = divergence(|q| q, false, 60);
        assert!(prior.abs() < 3.0 * se, "codes from the prior: S_ε {prior:.4} ± {se:.4}");
        let (same, _) = divergence(|q| q, true, 60);
        assert!(same > 10.0 * se, "within one batch the estimate keeps its sampling bias: {same:.4}");
        let (shifted, _) = divergence(|q| q.add_scalar(0.5), false, 60);
        assert!(shifted > prior + 0.3, "codes shifted by (0.5, 0.5): {shifted:.4} vs {prior:.4}");
    }

    #[test]
    fn the_gradient_is_that_of_the_entropic_half_batch_estimate() {
        let mut r = rng::seeded(3);
        let q = Points::from_fn(16, 2, |_, _| rng::normal(&mut r) + 0.3);
        let p = Points::from_fn(16, 2, |_, _| rng::normal(&mut r));
        let tight = Sinkhorn { eps: EPS, tol: 1e-8, max_iters: 100_000 };
        let half = |m: &Points, k: usize| m.rows_range(8 * k..8 * k + 8).into_owned();
        let ot = |a: &Points, b: &Points| tight.solve(a, b).unwrap().value;
        let value = |q: &Points| {
            0.5 * (ot(&half(q, 0), &half(&p, 0)) + ot(&half(q, 1), &half(&p, 1)))
                - 0.5 * ot(&half(q, 0), &half(q, 1))
                - 0.5 * ot(&half(&p, 0), &half(&p, 1))
        };
        let tape = Tape::new();
        let qv = tape.leaf(&q);
        let grad = tape.grad(sinkhorn_divergence(qv, &p, EPS).unwrap(), &[qv])[0].value().clone();
        let (mut err, mut norm) = (0.0f64, 0.0f64);
        for i in [0, 1, 8, 9, 15] {
            for k in 0..2 {
                let (mut up, mut down) = (q.clone(), q.clone());
                up[(i, k)] += 1e-3;
                down[(i, k)] -= 1e-3;
                let fd = (value(&up) - value(&down)) / 2e-3;
                err = err.max((fd - grad[(i, k)] as f64).abs());
                norm = norm.max(fd.abs());
            }
        }
        assert!(
            err < 0.02 * norm,
            "tape gradient against central differences: max error {err:.2e} of {norm:.2e}"
        );
    }
}
