//! What each method is: its keys, its default overrides, and the explanation shown beside it.

/// Keys every method shows.
pub const GENERAL_KEYS: [&str; 8] =
    ["method", "pair", "mode", "seed", "steps", "batch", "eval_every", "eval_n"];

/// Description of one method.
#[derive(Debug, Clone, Copy)]
pub struct MethodInfo {
    /// Name (as in `METHODS`).
    pub name: &'static str,
    /// "dual" (a critic / potential is learned) or "primal" (a coupling is built).
    pub family: &'static str,
    /// Method-specific keys.
    pub keys: &'static [&'static str],
    /// Overrides of the global defaults.
    pub defaults: &'static [(&'static str, &'static str)],
    /// What is trained.
    pub trains: &'static str,
    /// The loss in one line.
    pub loss: &'static str,
    /// What to watch in the lab.
    pub watch: &'static str,
}

const CRITIC: [&str; 5] = ["critic_width", "critic_depth", "critic_act", "critic_init", "critic_lr"];
const GEN: [&str; 6] = ["gen_width", "gen_depth", "gen_act", "gen_bn", "gen_lr", "gen_opt"];
const ADAM: [&str; 3] = ["beta1", "beta2", "n_critic"];

/// Concatenate key lists and extra key names into one `&'static [&str]` at compile time.
macro_rules! keys {
    ($($part:expr),* ; $($k:literal),*) => {{
        const N: usize = 0 $(+ $part.len())* $(+ { let _ = $k; 1 })*;
        const K: [&str; N] = {
            let mut out = [""; N];
            let mut i = 0;
            $( let part = $part; let mut j = 0; while j < part.len() { out[i] = part[j]; i += 1; j += 1; } )*
            $( out[i] = $k; i += 1; )*
            let _ = i;
            out
        };
        &K
    }};
}

/// Every method's description, in the order of `METHODS`.
pub const CATALOG: &[MethodInfo] = &[
    MethodInfo {
        name: "gan",
        family: "dual",
        keys: keys!(CRITIC, GEN, ADAM; "latent_dim"),
        defaults: &[
            ("n_critic", "1"),
            ("critic_lr", "1e-3"),
            ("gen_lr", "1e-3"),
            ("beta1", "0.5"),
            ("critic_init", "0.3"),
        ],
        trains: "a discriminator D(y) ∈ (0, 1) and a generator G",
        loss: "D: max E log D(y) + E log(1 − D(G(x)));  G: min −E log D(G(x))",
        watch: "the heat map of D and the arrows ∇D that pull G(x) toward regions D calls real",
    },
    MethodInfo {
        name: "wgan",
        family: "dual",
        keys: keys!(CRITIC, GEN, ADAM; "clip", "latent_dim"),
        defaults: &[
            ("n_critic", "5"),
            ("critic_lr", "5e-4"),
            ("gen_lr", "5e-4"),
            ("clip", "0.05"),
            ("critic_init", "0.3"),
        ],
        trains: "a critic f kept Lipschitz by weight clipping (RMSProp), and a generator G",
        loss: "f: max E f(y) − E f(G(x)), weights clipped to [−c, c];  G: min −E f(G(x))",
        watch: "clipping makes f nearly piecewise linear: its gradient arrows all have similar length",
    },
    MethodInfo {
        name: "wgan-gp",
        family: "dual",
        keys: keys!(CRITIC, GEN, ADAM; "lambda", "latent_dim"),
        defaults: &[
            ("n_critic", "5"),
            ("critic_lr", "1e-3"),
            ("gen_lr", "1e-3"),
            ("beta1", "0.5"),
            ("beta2", "0.9"),
        ],
        trains: "a critic f with a gradient penalty, and a generator G",
        loss: "f: max E f(y) − E f(G(x)) − λ E(‖∇f(x̂)‖ − 1)², x̂ between y and G(x)",
        watch: "‖∇f‖ ≈ 1 between the clouds: f becomes a Kantorovich potential for the cost ‖x − y‖",
    },
    MethodInfo {
        name: "wgan-lp",
        family: "dual",
        keys: keys!(CRITIC, GEN, ADAM; "lambda", "latent_dim"),
        defaults: &[
            ("n_critic", "5"),
            ("critic_lr", "1e-3"),
            ("gen_lr", "1e-3"),
            ("beta1", "0.5"),
            ("beta2", "0.9"),
        ],
        trains: "a critic f with a one-sided gradient penalty, and a generator G",
        loss: "f: max E f(y) − E f(G(x)) − λ E max(0, ‖∇f(x̂)‖ − 1)²",
        watch: "like WGAN-GP, but only gradients steeper than 1 are penalised",
    },
    MethodInfo {
        name: "w2gan",
        family: "dual",
        keys: keys!(CRITIC, GEN, ADAM; "critic_warmup", "gen_halflife", "lambda_ineq", "lambda_eq", "latent_dim"),
        defaults: &[],
        trains: "two potentials φ, ψ (ψ = −φ + ε) for the cost ½‖x − y‖², and a generator G",
        loss: "φ,ψ: max E φ(G(x)) + E ψ(y) − λ·[(φ + ψ − c)₊² + tightness along T = Id − ∇φ];  G: min E φ(G(x))",
        watch: "G(x) moves along the discrete OT arrows: MapErr falls and GeoDev stays near 0 (the W2 geodesic)",
    },
    MethodInfo {
        name: "w2ot",
        family: "dual",
        keys: keys!(CRITIC, ["beta1", "beta2"]; "lambda_ineq", "lambda_eq"),
        defaults: &[("n_critic", "1"), ("critic_lr", "1e-3")],
        trains: "only the potentials φ, ψ between the fixed X and Y",
        loss: "max E φ(x) + E ψ(y) − λ·[(φ + ψ − c)₊² + tightness];  the map is T(x) = x − ∇φ(x)",
        watch: "the arrows x → x − ∇φ(x) converge to the discrete OT arrows",
    },
    MethodInfo {
        name: "barycentric",
        family: "dual",
        keys: keys!(CRITIC, GEN, ["beta1", "beta2"]; "reg", "reg_eps", "dual_steps"),
        defaults: &[("critic_lr", "1e-3"), ("gen_lr", "1e-3"), ("gen_bn", "false"), ("n_critic", "1")],
        trains: "stage 1: regularised dual potentials u, v; stage 2: a map f fitted to the plan",
        loss: "u,v: max E[u(x) + v(y)] − R(u + v − c);  f: min E[H(x,y) ‖f(x) − y‖²] (Seguy et al.)",
        watch: "the map is a barycentric projection: it averages where the plan splits mass",
    },
    MethodInfo {
        name: "semidual",
        family: "dual",
        keys: &["sd_targets", "sd_eps", "sd_lr"],
        defaults: &[("batch", "64")],
        trains: "a weight v_j per target point (a discrete potential), by averaged SGD",
        loss: "max E_x[min_j (‖x − y_j‖² − v_j)] + (1/m) Σ v_j",
        watch: "the Laguerre cells equalise their mass; each cell is sent to its target point",
    },
    MethodInfo {
        name: "mke",
        family: "primal",
        keys: keys!(GEN; "ot_solver", "sinkhorn_eps", "latent_dim"),
        defaults: &[("mode", "generative"), ("gen_lr", "1e-3"), ("gen_bn", "false")],
        trains: "a generator G, by minimising exact OT to each target batch",
        loss: "min (1/n) Σ ‖G(z_i) − y_σ(i)‖², σ the optimal assignment (held fixed)",
        watch: "each generated point is pulled toward its assigned target: the OT arrows",
    },
    MethodInfo {
        name: "vae",
        family: "primal",
        keys: keys!(GEN; "enc_width", "enc_depth", "enc_lr", "dec_std", "latent_dim"),
        defaults: &[("mode", "generative"), ("gen_lr", "1e-3"), ("gen_bn", "false"), ("gen_act", "elu")],
        trains: "a Gaussian encoder q(z|y) and a decoder g(z)",
        loss: "min KL(q(z|y) ‖ N(0, I)) + ‖y − g(z)‖² / (2σ_dec²), z ~ q(z|y)",
        watch: "decoded samples blur between modes: the KL term keeps codes overlapping",
    },
    MethodInfo {
        name: "wae-gan",
        family: "primal",
        keys: keys!(GEN, CRITIC; "enc_width", "enc_depth", "enc_lr", "lambda_latent", "latent_dim"),
        defaults: &[
            ("mode", "generative"),
            ("gen_lr", "1e-3"),
            ("gen_bn", "false"),
            ("gen_act", "elu"),
            ("critic_lr", "5e-4"),
            ("n_critic", "1"),
            ("lambda_latent", "1"),
            ("beta1", "0.5"),
        ],
        trains: "a deterministic encoder f, a decoder g, and a latent discriminator",
        loss: "min E‖y − g(f(y))‖² + λ·GAN(f#ν, prior)",
        watch: "codes f(y) spread to fill the prior, samples g(z) stay on the modes",
    },
    MethodInfo {
        name: "wae-mmd",
        family: "primal",
        keys: keys!(GEN; "enc_width", "enc_depth", "enc_lr", "lambda_latent", "latent_dim"),
        defaults: &[("mode", "generative"), ("gen_lr", "1e-3"), ("gen_bn", "false"), ("gen_act", "elu")],
        trains: "a deterministic encoder f and a decoder g",
        loss: "min E‖y − g(f(y))‖² + λ·MMD(f#ν, prior), inverse multiquadric kernel",
        watch: "the MMD term pushes the codes to match the prior without a discriminator",
    },
    MethodInfo {
        name: "wvae",
        family: "primal",
        keys: keys!(GEN; "enc_width", "enc_depth", "enc_lr", "lambda_latent", "sinkhorn_eps", "latent_dim"),
        defaults: &[
            ("mode", "generative"),
            ("gen_lr", "1e-3"),
            ("gen_bn", "false"),
            ("gen_act", "elu"),
            ("batch", "128"),
            ("sinkhorn_eps", "0.5"),
        ],
        trains: "a deterministic encoder f and a decoder g",
        loss: "min E‖y − g(f(y))‖² + λ·S_ε(f#ν, prior), S_ε the Sinkhorn divergence",
        watch: "an OT distance in latent space: codes are transported onto the prior",
    },
];

/// The description of `method` (the first entry for an unknown name; `Config` validates names).
pub fn info(method: &str) -> &'static MethodInfo {
    CATALOG.iter().find(|m| m.name == method).unwrap_or(&CATALOG[0])
}

/// Named presets: (name, what it reproduces, query). Presets without a `pair` keep the page's pair.
pub const PRESETS: &[(&str, &str, &str)] = &[
    (
        "w2gan-paper",
        "W2GAN with the authors' 2D settings: batch 512, width 128, 5 critic steps, 5000 steps",
        "method=w2gan&batch=512&critic_width=128&gen_width=128&critic_lr=5e-4&gen_lr=1e-4&beta1=0.9&beta2=0.999&n_critic=5&lambda_ineq=200&lambda_eq=200&steps=5000",
    ),
    (
        "w2gan-geodesic",
        "W2GAN that stays on the W2 geodesic (GeoDev ≤ 0.05 on the three pairs): 2000 critic warm-up steps, generator lr 1e-4 halving every 600 steps; converges slowly",
        "method=w2gan&critic_warmup=2000&gen_halflife=600&gen_lr=1e-4&steps=2500",
    ),
    (
        "w2ot-paper",
        "W2-OT (the W2GAN paper's Fig. 3): potentials φ, ψ between fixed X and Y, map x − ∇φ(x)",
        "method=w2ot&batch=512&critic_width=128&critic_lr=5e-4&beta1=0.9&beta2=0.999&lambda_ineq=200&lambda_eq=200&steps=5000",
    ),
    (
        "wgan-gp-toy",
        "WGAN-GP on 8 Gaussians with Gulrajani et al.'s toy settings: λ 10, 5 critic steps, Adam (0.5, 0.9)",
        "method=wgan-gp&pair=gaussians8&mode=generative&lambda=10&n_critic=5&critic_lr=1e-4&gen_lr=1e-4&beta1=0.5&beta2=0.9&batch=256",
    ),
    (
        "vae-blur",
        "VAE on 8 Gaussians: decoded samples fall between the modes (the cookbook's blur)",
        "method=vae&pair=gaussians8&mode=generative&latent_dim=2",
    ),
    (
        "wae-mmd-modes",
        "WAE-MMD on 8 Gaussians: compare its samples with the VAE's",
        "method=wae-mmd&pair=gaussians8&mode=generative&latent_dim=2",
    ),
    (
        "semidual-cells",
        "Semi-discrete OT by SGD on the checkerboard: watch the Laguerre cells settle",
        "method=semidual&pair=checkerboard&sd_targets=64",
    ),
];
