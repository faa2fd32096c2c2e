//! The lab's colours: one per role (X, Y, G(X), transport arrows).

/// An sRGB colour.
pub type Rgb = (u8, u8, u8);

/// Source samples X.
pub const X_COLOR: Rgb = (31, 119, 180);
/// Target samples Y.
pub const Y_COLOR: Rgb = (230, 85, 13);
/// Generated samples G(X).
pub const G_COLOR: Rgb = (148, 52, 200);
/// Discrete OT arrows.
pub const OT_COLOR: Rgb = (90, 90, 90);
