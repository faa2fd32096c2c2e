// How the page writes numbers and a run's metrics: the read-out and the compare captions alike.

/** A number with three significant digits, trailing zeros dropped, exponent form below 1e-3. */
export const fmt = (v) => (v === null || v === undefined || !Number.isFinite(v) ? 'n/a'
  : (v !== 0 && Math.abs(v) < 1e-3 ? Number(v).toExponential(2) : Number(v).toPrecision(3))
    .replace(/\.?0+e/, 'e').replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, ''));

/** A share as a percentage with one decimal. */
const pct = (v) => `${(100 * v).toFixed(1)} %`;

/** The evaluated metrics of read-out `r`, each with its floor: W2² and the latent W2² as multiples
 * of it, MapErr and GeoDev (as far along the geodesic as the map) beside the near-exact map's, the
 * share off a mixture's modes beside the held-out targets' own; the smallest and largest Laguerre
 * cell mass. */
export const metricParts = (r) => {
  const e = r.eval || {};
  const has = (v) => v !== null && v !== undefined;
  const floored = (name, v, floor) => `${name} ${fmt(v)}` + (floor == null ? '' : ` (floor ${fmt(floor)})`);
  return [
    has(e.l2_uvp) && `L2-UVP ${fmt(e.l2_uvp)} %`,
    has(e.w2sq) && `W2² ${fmt(e.w2sq)} (${fmt(e.w2_over_floor)}× floor)`,
    has(e.map_err) && floored('MapErr', e.map_err, r.map_err_floor),
    has(e.geo_dev) && floored('GeoDev', e.geo_dev, r.geo_dev_floor_now),
    has(e.latent_w2sq) && `latent W2² ${fmt(e.latent_w2sq)} (${fmt(e.latent_w2sq / r.latent_floor)}× floor)`,
    has(e.off_mode) && `off-mode ${pct(e.off_mode)} (Y ${pct(r.off_mode_y)})`,
    has(e.cell_mass) && `cell masses ${fmt(e.cell_mass[0])}–${fmt(e.cell_mass[1])} × 1/m`,
  ].filter(Boolean);
};
