/**
 * Pure wire decoders: captured bytes in, decoded HTTP / WebSocket / Engine.IO /
 * Socket.IO messages out, and the traffic between servers (RESP, the adapters'
 * payloads, cluster IPC). No I/O; malformed input is reported, never thrown.
 */
export type * from "./types.js";
export { createConnectionDecoder, type ConnectionChunk, type ConnectionDecoder } from "./connection-decoder.js";
export { decodeChunks, messagesOf } from "./decode-chunks.js";
export { createHttpParser, type HttpEvent, type HttpParser, type HttpParserOptions, type RequestInfo } from "./http.js";
export { createWsParser, type WsEvent, type WsMessage, type WsParser, type WsParserOptions } from "./websocket.js";
export {
  decodeEngineBinary, decodeEnginePayload, decodeEngineText, type EngineDecoded, type EngineMessageData,
} from "./engineio.js";
export { createSocketStream, type SocketStream } from "./socketio.js";
export { createSessionStreams, sessionOf, type SessionStreams } from "./session-streams.js";
export { boundedJson, DEFAULT_JSON_BOUNDS, type JsonBounds } from "./bounded-json.js";
export type { ChunkRef } from "./bytes.js";
export { cutText, escapeControls, printableText } from "./text.js";
export { createRespParser, type RespEvent, type RespParser, type RespValue } from "./resp.js";
export { adapterChannel, clusterAdapterLayer, redisAdapterLayer, type AdapterChannel } from "./adapter-payload.js";
export { createIpcStream, decodeIpcMessage, type IpcEvent, type IpcStream } from "./cluster-ipc.js";
