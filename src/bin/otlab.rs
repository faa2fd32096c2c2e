//! The native `otlab` command line: sample datasets, solve OT, train, benchmark, draw figures.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use clap::{Parser, Subcommand, ValueEnum};
    use otlab::data::{Pair, Side, to_csv};
    use otlab::{Error, Result, rng};

    /// otlab: GANs and VAEs seen through optimal transport.
    #[derive(Parser)]
    #[command(name = "otlab", version, about)]
    struct Cli {
        #[command(subcommand)]
        command: Command,
    }

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
            /// Which side: the source x or the target y.
            #[arg(long, value_enum, default_value_t = SideArg::X)]
            side: SideArg,
        },
    }

    #[derive(Clone, Copy, ValueEnum)]
    enum SideArg {
        X,
        Y,
    }

    pub fn main() {
        let cli = Cli::parse();
        if let Err(e) = run(cli.command) {
            eprintln!("otlab: {e}");
            std::process::exit(2);
        }
    }

    fn run(cmd: Command) -> Result<()> {
        match cmd {
            Command::Sample { pair, n, seed, side } => {
                if n == 0 {
                    return Err(Error::config("n", "must be at least 1"));
                }
                let pair = Pair::named(&pair)?;
                let side = match side {
                    SideArg::X => Side::X,
                    SideArg::Y => Side::Y,
                };
                let pts = pair.sample(side, n, &mut rng::seeded(seed));
                print!("{}", to_csv(&pts));
                Ok(())
            }
        }
    }
}
