//! The table of configuration keys: each a typed handle (`Key<T>`) over its spec — accepted
//! values, global default, whether a change applies live, a one-line help. Models read keys only
//! through these handles, so a misspelled key does not compile.

use super::spec::Mode;
use std::marker::PhantomData;

/// What values a key accepts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// Integer in [min, max].
    Int { min: i64, max: i64 },
    /// Real in [min, max]; `log` suggests a logarithmic control.
    Float { min: f64, max: f64, log: bool },
    /// One of a fixed list of names.
    Choice(&'static [&'static str]),
    /// true / false.
    Bool,
}

/// One configuration key.
#[derive(Debug, PartialEq)]
pub struct KeySpec {
    /// Name used in the URL, the CLI (`--set name=value`) and the page.
    pub name: &'static str,
    /// Accepted values.
    pub kind: Kind,
    /// Default (methods may override it in their registry entry).
    pub default: &'static str,
    /// Whether a change applies to a running model (otherwise the model is rebuilt).
    pub live: bool,
    /// What it does, in one line.
    pub help: &'static str,
}

/// A parsed value of a key.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    /// Int and Float keys.
    Num(f64),
    /// Choice keys (one of the spec's names).
    Text(&'static str),
    /// Bool keys.
    Flag(bool),
}

/// A Rust type a key's value converts to.
pub trait KeyType: Sized {
    /// The value as this type (keys are validated when set, so the conversion cannot fail).
    fn from_value(v: Value) -> Self;
}

impl KeyType for f64 {
    fn from_value(v: Value) -> f64 {
        if let Value::Num(x) = v { x } else { f64::NAN }
    }
}

impl KeyType for f32 {
    fn from_value(v: Value) -> f32 {
        f64::from_value(v) as f32
    }
}

impl KeyType for usize {
    fn from_value(v: Value) -> usize {
        f64::from_value(v).max(0.0) as usize
    }
}

impl KeyType for u64 {
    fn from_value(v: Value) -> u64 {
        f64::from_value(v).max(0.0) as u64
    }
}

impl KeyType for bool {
    fn from_value(v: Value) -> bool {
        matches!(v, Value::Flag(true))
    }
}

impl KeyType for &'static str {
    fn from_value(v: Value) -> &'static str {
        if let Value::Text(s) = v { s } else { "" }
    }
}

impl KeyType for Mode {
    fn from_value(v: Value) -> Mode {
        if v == Value::Text("generative") { Mode::Generative } else { Mode::Map }
    }
}

/// A typed handle to one key: `cfg.get(BATCH)` is a `usize`.
pub struct Key<T> {
    /// The key's spec.
    pub spec: &'static KeySpec,
    ty: PhantomData<fn() -> T>,
}

impl<T> Clone for Key<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Key<T> {}

impl<T> Key<T> {
    /// The key's name.
    pub const fn name(&self) -> &'static str {
        self.spec.name
    }
}

/// Declare keys: a typed constant per key and `KEYS`, every spec in display order.
macro_rules! keys {
    ($( $(#[$doc:meta])* $id:ident : $ty:ty = ($name:literal, $kind:expr, $default:literal, $live:literal, $help:literal); )*) => {
        $(
            $(#[$doc])*
            pub const $id: Key<$ty> = Key {
                spec: &KeySpec { name: $name, kind: $kind, default: $default, live: $live, help: $help },
                ty: PhantomData,
            };
        )*
        /// Every key, in display order.
        pub const KEYS: &[&KeySpec] = &[$( $id.spec ),*];
    };
}

const fn int(min: i64, max: i64) -> Kind {
    Kind::Int { min, max }
}
const fn real(min: f64, max: f64) -> Kind {
    Kind::Float { min, max, log: false }
}
const fn log(min: f64, max: f64) -> Kind {
    Kind::Float { min, max, log: true }
}

const ACTS: &[&str] = &["relu", "leaky_relu", "elu", "tanh", "softplus"];
/// Largest integer a JavaScript number holds exactly (seeds travel through the page).
const MAX_SEED: i64 = 9_007_199_254_740_991;

keys! {
    /// Dataset pair (or generative target).
    PAIR: &'static str = ("pair", Kind::Choice(&crate::data::PAIR_NAMES), "gaussians4", false, "dataset: source X → target Y");
    /// Map mode or generative mode.
    MODE: Mode = ("mode", Kind::Choice(&["map", "generative"]), "map", false, "map: G starts at the identity on X; generative: G maps noise z to Y");
    /// How mixtures are sampled.
    SAMPLING: &'static str = ("sampling", Kind::Choice(&["iid", "stratified"]), "iid", false, "iid: each point picks a mixture component at random; stratified: equal counts per component");
    /// The run's seed.
    SEED: u64 = ("seed", int(0, MAX_SEED), "0", false, "random seed: same config and seed, same run");
    /// Steps to train (CLI and presets).
    STEPS: usize = ("steps", int(1, 10_000_000), "2000", true, "generator steps to train (command line, claims); the page trains on until paused, and for WAE-MMD and WVAE the settling phase ends here");
    /// Samples per batch.
    BATCH: usize = ("batch", int(8, 4096), "256", true, "samples per batch");
    /// Steps between evaluations.
    EVAL_EVERY: usize = ("eval_every", int(1, 1_000_000), "100", true, "steps between evaluations of the metrics");
    /// Held-out samples per side.
    EVAL_N: usize = ("eval_n", int(16, 4096), "512", false, "held-out samples per side for the metrics");
    /// Critic hidden width.
    CRITIC_WIDTH: usize = ("critic_width", int(2, 1024), "64", false, "hidden units per critic / discriminator layer");
    /// Critic hidden layers.
    CRITIC_DEPTH: usize = ("critic_depth", int(1, 8), "3", false, "hidden layers of the critic");
    /// Critic activation.
    CRITIC_ACT: &'static str = ("critic_act", Kind::Choice(ACTS), "relu", false, "critic activation");
    /// Std of the critic's initial weights.
    CRITIC_INIT: f32 = ("critic_init", log(1e-4, 10.0), "0.1", false, "std of the critic's initial weights");
    /// Critic learning rate.
    CRITIC_LR: f32 = ("critic_lr", log(1e-6, 1.0), "1e-3", true, "critic learning rate");
    /// Generator hidden width.
    GEN_WIDTH: usize = ("gen_width", int(2, 1024), "64", false, "hidden units per generator layer");
    /// Generator hidden layers.
    GEN_DEPTH: usize = ("gen_depth", int(1, 8), "3", false, "hidden layers of the generator");
    /// Generator activation.
    GEN_ACT: &'static str = ("gen_act", Kind::Choice(ACTS), "relu", false, "generator (and encoder) activation");
    /// Batch norm in the generator.
    GEN_BN: bool = ("gen_bn", Kind::Bool, "true", false, "batch norm in the generator");
    /// Generator learning rate.
    GEN_LR: f32 = ("gen_lr", log(1e-6, 1.0), "3e-4", true, "generator learning rate");
    /// Generator optimizer.
    GEN_OPT: &'static str = ("gen_opt", Kind::Choice(&["adam", "sgd"]), "adam", false, "generator optimizer (SGD with momentum 0.9 slows down as the gradient vanishes)");
    /// Adam β₁.
    BETA1: f32 = ("beta1", real(0.0, 0.999), "0.9", true, "Adam β₁");
    /// Adam β₂.
    BETA2: f32 = ("beta2", real(0.0, 0.9999), "0.999", true, "Adam β₂");
    /// Critic updates per generator update.
    N_CRITIC: usize = ("n_critic", int(1, 100), "10", true, "critic updates per generator update");
    /// Generator learning-rate half-life.
    GEN_HALFLIFE: usize = ("gen_halflife", int(0, 10_000_000), "0", true, "generator steps over which its learning rate halves (W2GAN with gen_fit: its moves' stride halves instead; 0: constant)");
    /// Generator steps per fitted move (W2GAN).
    GEN_FIT: usize = ("gen_fit", int(0, 100_000), "0", false, "W2GAN: generator steps per move; in a move G is fitted to G₀(x) − gen_stride·∇φ(G₀(x)), G₀ the generator as the move began, its learning rate halving every quarter move (0: the paper's step, one gradient step on E φ(G(x)) — with a lower gen_lr, as w2gan-fast's 3e-4)");
    /// How far one fitted move goes.
    GEN_STRIDE: f32 = ("gen_stride", real(0.01, 1.0), "0.25", true, "W2GAN with gen_fit: the fraction of the way to the critic's map x − ∇φ(x) one move asks for");
    /// Extra critic updates before the first generator update.
    CRITIC_WARMUP: usize = ("critic_warmup", int(0, 100_000), "0", true, "extra critic updates before the first generator update");
    /// Gradient-penalty weight.
    LAMBDA: f32 = ("lambda", real(0.0, 1000.0), "10", true, "gradient-penalty weight (WGAN-GP / LP)");
    /// Weight clipping bound.
    CLIP: f32 = ("clip", log(1e-4, 1.0), "0.01", true, "weight clipping bound (WGAN)");
    /// W2 inequality penalty.
    LAMBDA_INEQ: f32 = ("lambda_ineq", real(0.0, 10000.0), "200", true, "W2: penalty on φ(x)+ψ(y) > c(x,y)");
    /// W2 tightness penalty.
    LAMBDA_EQ: f32 = ("lambda_eq", real(0.0, 10000.0), "200", true, "W2: penalty making φ, ψ tight along T = Id − ∇φ");
    /// Barycentric-OT regulariser.
    REG: &'static str = ("reg", Kind::Choice(&["l2", "entropy"]), "l2", false, "Barycentric-OT regulariser");
    /// Barycentric-OT regularisation strength.
    REG_EPS: f32 = ("reg_eps", log(1e-4, 10.0), "0.005", true, "Barycentric-OT: ε of R = (1/4ε)E(u+v−c)₊² (L2) or εE exp((u+v−c)/ε)");
    /// Barycentric-OT dual updates before the map is fitted.
    DUAL_STEPS: usize = ("dual_steps", int(0, 1_000_000), "1000", false, "Barycentric-OT: dual updates before the first map step");
    /// Semi-dual target points.
    SD_TARGETS: usize = ("sd_targets", int(2, 1024), "64", false, "semi-dual: number of target points y_j");
    /// Semi-dual entropic smoothing.
    SD_EPS: f64 = ("sd_eps", real(0.0, 1.0), "0", true, "semi-dual: entropic smoothing (0 = Laguerre cells)");
    /// Semi-dual step size.
    SD_LR: f64 = ("sd_lr", log(1e-4, 100.0), "1", true, "semi-dual: SGD step scale (step k uses lr/√k)");
    /// MKE's per-batch solver.
    OT_SOLVER: &'static str = ("ot_solver", Kind::Choice(&["exact", "sinkhorn"]), "exact", true, "MKE: per-batch OT solver");
    /// Entropic ε of Sinkhorn losses.
    SINKHORN_EPS: f64 = ("sinkhorn_eps", log(1e-3, 10.0), "0.05", true, "entropic ε for Sinkhorn losses");
    /// Newton steps of the ICNN conjugate solve.
    CONJ_ITERS: usize = ("conj_iters", int(1, 50), "6", true, "ICNN: Newton steps solving ∇ψ(x*) = y per update (the conjugate ψ*)");
    /// Latent dimension.
    LATENT_DIM: usize = ("latent_dim", int(1, 2), "2", false, "latent dimension (generative mode, autoencoders)");
    /// Encoder hidden width.
    ENC_WIDTH: usize = ("enc_width", int(2, 1024), "64", false, "hidden units per encoder layer");
    /// Encoder hidden layers.
    ENC_DEPTH: usize = ("enc_depth", int(1, 8), "2", false, "hidden layers of the encoder");
    /// WAE encoder: deterministic codes or a Gaussian q(z|y).
    ENCODER: &'static str = ("encoder", Kind::Choice(&["deterministic", "gaussian"]), "gaussian", false, "WAE / WVAE: deterministic codes f(y), or Gaussian codes z ~ N(μ(y), σ²(y)) whose spread can fill the prior");
    /// Encoder learning rate.
    ENC_LR: f32 = ("enc_lr", log(1e-6, 1.0), "1e-3", true, "encoder learning rate");
    /// Encoder learning-rate half-life.
    ENC_HALFLIFE: usize = ("enc_halflife", int(0, 10_000_000), "0", true, "encoder steps over which its learning rate halves (0: no halving)");
    /// VAE decoder std.
    DEC_STD: f32 = ("dec_std", log(1e-3, 10.0), "0.1", true, "VAE: decoder output std σ_dec");
    /// Weight of the latent penalty.
    LAMBDA_LATENT: f32 = ("lambda_latent", real(0.0, 1000.0), "10", true, "WAE / WVAE: weight of the latent penalty");
    /// Length of a WAE's settling phase.
    SETTLE: f32 = ("settle", real(0.0, 1.0), "0", true, "WAE-MMD / WVAE: the fraction of `steps` (6000 at their defaults) at the end over which the encoder's and decoder's learning rates fall linearly to a tenth and λ grows to settle_lambda·λ; they stay so afterwards (0: off)");
    /// Where λ ends after the settling phase.
    SETTLE_LAMBDA: f32 = ("settle_lambda", real(1.0, 100.0), "1", true, "WAE-MMD / WVAE: the factor by which lambda_latent has grown at the end of the settling phase (1: unchanged)");
}

/// Keys every method has (the run's data, seed and evaluation).
pub const GENERAL: &[&KeySpec] =
    &[PAIR.spec, MODE.spec, SAMPLING.spec, SEED.spec, STEPS.spec, BATCH.spec, EVAL_EVERY.spec, EVAL_N.spec];
/// Keys of a critic network and its optimizer.
pub const CRITIC_NET: &[&KeySpec] = &[
    CRITIC_WIDTH.spec,
    CRITIC_DEPTH.spec,
    CRITIC_ACT.spec,
    CRITIC_INIT.spec,
    CRITIC_LR.spec,
    BETA1.spec,
    BETA2.spec,
];
/// Keys of a generator network and its optimizer.
pub const GEN_NET: &[&KeySpec] = &[
    GEN_WIDTH.spec,
    GEN_DEPTH.spec,
    GEN_ACT.spec,
    GEN_BN.spec,
    GEN_LR.spec,
    GEN_OPT.spec,
    BETA1.spec,
    BETA2.spec,
];
/// Keys of an encoder network (its activation is the generator's).
pub const ENC_NET: &[&KeySpec] = &[ENC_WIDTH.spec, ENC_DEPTH.spec, ENC_LR.spec, ENC_HALFLIFE.spec];
/// WAE-MMD's and WVAE's settling phase.
pub const SETTLING: &[&KeySpec] = &[SETTLE.spec, SETTLE_LAMBDA.spec];

/// Look a key up by name.
pub fn spec(name: &str) -> Option<&'static KeySpec> {
    KEYS.iter().copied().find(|k| k.name == name)
}
