//! The native `otlab` command line: sample datasets, solve OT, train, benchmark, draw figures.
//! Every subcommand prints one JSON object with `--json`; errors go to stderr with exit code 2.

#[cfg(not(target_arch = "wasm32"))]
mod cmd_bench;
#[cfg(not(target_arch = "wasm32"))]
mod cmd_claims;
#[cfg(not(target_arch = "wasm32"))]
mod cmd_ot;
#[cfg(not(target_arch = "wasm32"))]
mod cmd_train;
#[cfg(not(target_arch = "wasm32"))]
mod frames;

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use clap::Parser;
    // Rust ignores SIGPIPE, so printing to a closed pipe would panic; a Unix tool just stops
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of one signal before any thread starts
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    if let Err(e) = run(cli.command) {
        eprintln!("otlab: {e}");
        std::process::exit(2);
    }
}

#[cfg(not(target_arch = "wasm32"))]
use clap::{Parser, Subcommand, ValueEnum};

/// otlab: GANs and VAEs seen through optimal transport.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Parser)]
#[command(name = "otlab", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[cfg(not(target_arch = "wasm32"))]
#[derive(Subcommand)]
enum Command {
    /// Print samples of one side of a dataset pair as CSV.
    Sample {
        /// Pair name (gaussians4, checkerboard, spirals, gauss2gauss, gaussians8, …).
        #[arg(long)]
        pair: String,
        /// Number of points.
        #[arg(long, default_value_t = 512)]
        n: usize,
        /// Random seed.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Which side: the source x or the target y (each side draws from its own stream of the seed).
        #[arg(long, value_enum, default_value_t = SideArg::X)]
        side: SideArg,
        /// How mixture components are drawn: iid (a random component per point) or stratified
        /// (equal counts).
        #[arg(long, default_value = "iid")]
        sampling: String,
    },
    /// Optimal transport between two CSV point clouds.
    Ot(cmd_ot::OtArgs),
    /// Train a method on a dataset pair.
    Train(cmd_train::TrainArgs),
    /// Throughput benchmarks, side by side with baselines.
    Bench(cmd_bench::BenchArgs),
    /// Every claim the lab shows, measured, with its verdict (reproduced / partly / not).
    Claims(cmd_claims::ClaimsArgs),
}

#[cfg(not(target_arch = "wasm32"))]
#[derive(Clone, Copy, ValueEnum)]
enum SideArg {
    X,
    Y,
}

#[cfg(not(target_arch = "wasm32"))]
fn run(cmd: Command) -> otlab::Result<()> {
    use otlab::data::{Pair, Sampling, Side, to_csv};
    match cmd {
        Command::Sample { pair, n, seed, side, sampling } => {
            if n == 0 {
                return Err(otlab::Error::config("n", "must be at least 1"));
            }
            if !matches!(sampling.as_str(), "iid" | "stratified") {
                return Err(otlab::Error::config(
                    "sampling",
                    format!("expected iid or stratified, got `{sampling}`"),
                ));
            }
            let pair = Pair::sampled(&pair, Sampling::named(&sampling))?;
            let side = match side {
                SideArg::X => Side::X,
                SideArg::Y => Side::Y,
            };
            print!("{}", to_csv(&pair.sample_side(side, n, seed)));
            Ok(())
        }
        Command::Ot(args) => cmd_ot::run(args),
        Command::Train(args) => cmd_train::run(args),
        Command::Bench(args) => cmd_bench::run(args),
        Command::Claims(args) => cmd_claims::run(args),
    }
}
