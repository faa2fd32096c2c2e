//! The table of every configuration key: type, range, default, whether it applies live, and a
//! one-line explanation (the page builds its controls from this table).

/// What values a key accepts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// Integer in [min, max].
    Int { min: i64, max: i64 },
    /// Real in [min, max]; `log` suggests a logarithmic slider.
    Float { min: f64, max: f64, log: bool },
    /// One of a fixed list of names.
    Choice(&'static [&'static str]),
    /// true / false.
    Bool,
}

/// One configuration key.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KeySpec {
    /// Name used in the URL, the CLI (`--set name=value`) and the page.
    pub name: &'static str,
    /// Accepted values.
    pub kind: Kind,
    /// Default (for methods that do not override it).
    pub default: &'static str,
    /// Whether a change applies to a running model (otherwise the model is rebuilt).
    pub live: bool,
    /// What it does, in one line.
    pub help: &'static str,
}

/// Every method `otlab train` and the page know.
pub const METHODS: [&str; 13] = [
    "gan",
    "wgan",
    "wgan-gp",
    "wgan-lp",
    "w2gan",
    "w2ot",
    "barycentric",
    "semidual",
    "mke",
    "vae",
    "wae-gan",
    "wae-mmd",
    "wvae",
];

const ACTS: &[&str] = &["relu", "leaky_relu", "elu", "tanh", "softplus"];

const fn int(
    name: &'static str,
    min: i64,
    max: i64,
    default: &'static str,
    live: bool,
    help: &'static str,
) -> KeySpec {
    KeySpec { name, kind: Kind::Int { min, max }, default, live, help }
}

const fn real(
    name: &'static str,
    min: f64,
    max: f64,
    log: bool,
    default: &'static str,
    live: bool,
    help: &'static str,
) -> KeySpec {
    KeySpec { name, kind: Kind::Float { min, max, log }, default, live, help }
}

const fn choice(
    name: &'static str,
    of: &'static [&'static str],
    default: &'static str,
    live: bool,
    help: &'static str,
) -> KeySpec {
    KeySpec { name, kind: Kind::Choice(of), default, live, help }
}

/// All keys, in display order.
pub const KEYS: &[KeySpec] = &[
    choice("method", &METHODS, "w2gan", false, "training method"),
    choice("pair", &crate::data::PAIR_NAMES, "checkerboard", false, "dataset: source X → target Y"),
    choice(
        "mode",
        &["map", "generative"],
        "map",
        false,
        "map: G starts at the identity on X; generative: G maps noise z to Y",
    ),
    int("seed", 0, 9_007_199_254_740_991, "0", false, "random seed: same config and seed, same run"),
    int("steps", 1, 10_000_000, "2000", true, "generator steps to train (command line)"),
    int("batch", 8, 4096, "256", true, "samples per batch"),
    int("eval_every", 1, 1_000_000, "100", true, "steps between evaluations of W2², MapErr, GeoDev"),
    int("eval_n", 16, 4096, "512", false, "held-out samples per side for the metrics"),
    int("critic_width", 2, 1024, "64", false, "hidden units per critic / discriminator layer"),
    int("critic_depth", 1, 8, "3", false, "hidden layers of the critic"),
    choice("critic_act", ACTS, "relu", false, "critic activation"),
    real("critic_init", 1e-4, 10.0, true, "0.1", false, "std of the critic's initial weights"),
    real("critic_lr", 1e-6, 1.0, true, "1e-3", true, "critic learning rate"),
    int("gen_width", 2, 1024, "64", false, "hidden units per generator layer"),
    int("gen_depth", 1, 8, "3", false, "hidden layers of the generator"),
    choice("gen_act", ACTS, "relu", false, "generator activation"),
    KeySpec {
        name: "gen_bn",
        kind: Kind::Bool,
        default: "true",
        live: false,
        help: "batch norm in the generator",
    },
    real("gen_lr", 1e-6, 1.0, true, "3e-4", true, "generator learning rate"),
    choice(
        "gen_opt",
        &["adam", "sgd"],
        "adam",
        false,
        "generator optimizer (SGD with momentum 0.9 slows down as the gradient vanishes)",
    ),
    real("beta1", 0.0, 0.999, false, "0.9", true, "Adam β₁"),
    real("beta2", 0.0, 0.9999, false, "0.999", true, "Adam β₂"),
    int("n_critic", 1, 100, "10", true, "critic steps per generator step"),
    int(
        "gen_halflife",
        0,
        10_000_000,
        "0",
        true,
        "W2GAN: generator steps over which its learning rate halves (0: constant)",
    ),
    int("critic_warmup", 0, 100_000, "0", true, "W2GAN: extra critic steps before the first generator step"),
    real("lambda", 0.0, 1000.0, false, "10", true, "gradient-penalty weight (WGAN-GP / LP)"),
    real("clip", 1e-4, 1.0, true, "0.01", true, "weight clipping bound (WGAN)"),
    real("lambda_ineq", 0.0, 10000.0, false, "200", true, "W2: penalty on φ(x)+ψ(y) > c(x,y)"),
    real("lambda_eq", 0.0, 10000.0, false, "200", true, "W2: penalty making φ, ψ tight along T = Id − ∇φ"),
    choice("reg", &["l2", "entropy"], "l2", false, "Barycentric-OT regulariser"),
    real(
        "reg_eps",
        1e-4,
        10.0,
        true,
        "0.005",
        true,
        "Barycentric-OT: ε of R = (1/4ε)E(u+v−c)₊² (L2) or εE exp((u+v−c)/ε)",
    ),
    int("dual_steps", 0, 1_000_000, "1000", true, "Barycentric-OT: dual steps before the map is fitted"),
    int("sd_targets", 2, 1024, "64", false, "semi-dual: number of target points y_j"),
    real("sd_eps", 0.0, 1.0, false, "0", true, "semi-dual: entropic smoothing (0 = Laguerre cells)"),
    real("sd_lr", 1e-4, 100.0, true, "1", true, "semi-dual: SGD step scale (step k uses lr/√k)"),
    choice("ot_solver", &["exact", "sinkhorn"], "exact", true, "MKE: per-batch OT solver"),
    real("sinkhorn_eps", 1e-3, 10.0, true, "0.05", true, "entropic ε for Sinkhorn losses"),
    int("latent_dim", 1, 2, "2", false, "latent dimension (generative mode, autoencoders)"),
    int("enc_width", 2, 1024, "64", false, "hidden units per encoder layer"),
    int("enc_depth", 1, 8, "2", false, "hidden layers of the encoder"),
    real("enc_lr", 1e-6, 1.0, true, "1e-3", true, "encoder learning rate"),
    real("dec_std", 1e-3, 10.0, true, "0.1", true, "VAE: decoder output std σ_dec"),
    real("lambda_latent", 0.0, 1000.0, false, "10", true, "WAE / WVAE: weight of the latent penalty"),
];

/// Look up a key by name.
pub fn spec(name: &str) -> Option<&'static KeySpec> {
    KEYS.iter().find(|k| k.name == name)
}
