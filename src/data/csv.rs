//! CSV import and export of point clouds: one point per line, comma-separated coordinates.

use super::Points;
use crate::error::{Error, Result};

/// Parse CSV text into points. Blank lines and lines starting with `#` are skipped; a first line
/// that is not numeric (nor numbers separated by semicolons, tabs or spaces) is taken as a header.
/// Every error names its 1-based line.
pub fn parse_csv(text: &str) -> Result<Points> {
    let mut rows: Vec<Vec<f32>> = Vec::new();
    let mut header = false;
    for (idx, raw) in text.lines().enumerate() {
        let line = idx + 1;
        let s = raw.trim();
        if s.is_empty() || s.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = s.split(',').map(str::trim).collect();
        let parsed: std::result::Result<Vec<f64>, _> = fields.iter().map(|f| f.parse::<f64>()).collect();
        let values = match parsed {
            Ok(v) => v,
            Err(_)
                if rows.is_empty()
                    && !header
                    && fields.iter().all(|f| !numeric(f) && !other_separator(f)) =>
            {
                header = true;
                continue;
            }
            Err(_) => {
                let bad = fields.iter().find(|f| !numeric(f)).unwrap_or(&"");
                let hint =
                    if bad.contains([';', '\t', ' ']) { " (separate the values by commas)" } else { "" };
                return Err(Error::data(Some(line), format!("`{bad}` is not a number{hint}")));
            }
        };
        if let Some(v) = values.iter().find(|v| !v.is_finite()) {
            return Err(Error::data(Some(line), format!("value {v} is not finite")));
        }
        if let Some(v) = values.iter().find(|v| v.abs() > f32::MAX as f64) {
            return Err(Error::data(Some(line), format!("value {v} is too large for a point coordinate")));
        }
        if let Some(first) = rows.first()
            && first.len() != values.len()
        {
            return Err(Error::data(
                Some(line),
                format!("expected {} values, found {}", first.len(), values.len()),
            ));
        }
        rows.push(values.iter().map(|&v| v as f32).collect());
    }
    let d = rows.first().map_or(0, Vec::len);
    if rows.is_empty() {
        return Err(Error::data(None, "no points found"));
    }
    Ok(Points::from_fn(rows.len(), d, |i, j| rows[i][j]))
}

/// A number as a CSV field holds it.
fn numeric(field: &str) -> bool {
    field.parse::<f64>().is_ok()
}

/// Numbers separated by something other than commas (`0.1;0.2`, tabs, spaces): a line of them is
/// data written the wrong way, not a header.
fn other_separator(field: &str) -> bool {
    let parts: Vec<&str> = field.split([';', '\t', ' ']).filter(|p| !p.is_empty()).collect();
    parts.len() > 1 && parts.iter().all(|p| numeric(p))
}

/// Write points as CSV with a header `x,y` (or `x1,…,xd`).
pub fn to_csv(p: &Points) -> String {
    let mut out = String::new();
    let header: Vec<String> = match p.ncols() {
        2 => vec!["x".into(), "y".into()],
        d => (1..=d).map(|j| format!("x{j}")).collect(),
    };
    out.push_str(&header.join(","));
    out.push('\n');
    for i in 0..p.nrows() {
        let row: Vec<String> = (0..p.ncols()).map(|j| format!("{}", p[(i, j)])).collect();
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
}
