//! Neural-network building blocks on the autodiff tape: parameters, initialisation, MLPs (plain or
//! residual, optional batch norm), input-convex networks, and optimizers.

mod icnn;
mod init;
mod mlp;
mod optim;
mod params;

pub use icnn::{Icnn, IcnnSpec};
pub use init::Init;
pub use mlp::{Activation, Mlp, MlpSpec, Mode};
pub use optim::{Optimizer, OptimizerKind};
pub use params::{Params, Tensor};
