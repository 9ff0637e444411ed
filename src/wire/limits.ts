/**
 * Bounds the wire decoders keep to. Captured traffic is untrusted: every buffer
 * the decoders hold is capped here, while sizes are always counted in full.
 */

/**
 * Bytes of one message (HTTP body, joined WebSocket message) kept for the
 * Engine.IO / Socket.IO layers. Above engine.io's default `maxHttpBufferSize`
 * (1e6) so that anything a default server accepts is decoded completely.
 */
export const DECODE_LIMIT = 2 * 1024 * 1024;

/** Characters of a body, payload or packet data kept for display. */
export const DISPLAY_LIMIT = 4096;

/** Characters of `WireMessage.raw`. */
export const RAW_LIMIT = 160;

/** Bytes of binary data shown as hex in previews. */
export const HEX_PREVIEW_BYTES = 32;

/** Bytes an HTTP head (start line and headers) may take: four times Node's default. */
export const MAX_HEAD_BYTES = 64 * 1024;

/** Headers per HTTP message; Node's `maxHeadersCount` default. More is flagged. */
export const MAX_HEADERS = 2000;

/** Bytes of a chunk-size line (with extensions) in a chunked body. */
export const MAX_CHUNK_LINE = 4096;
