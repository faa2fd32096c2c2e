// The text of an error, whether it is an Error, a wasm JsError or a plain value.

/** The message of `e` for a note or a caption. */
export const messageOf = (e) => String(e && e.message ? e.message : e);
