/**
 * Which calls of a step are worth a source excerpt: the ones the design
 * names for the built-in chat scenario, as `package:Function.name`. Steps of
 * other scenarios (and any name that did not run) fall back to the step's
 * first top-level calls.
 */

/** Focus functions per step id of the chat scenario, in the order they are shown. */
export const STEP_FOCUS: Readonly<Record<string, readonly string[]>> = {
  init: ["socket.io:Server.constructor", "socket.io:Server.initEngine", "engine.io:Server.attach", "socket.io:Server.bind"],
  handlers: ["socket.io:Server.on (Server[fn])", "socket.io:StrictEventEmitter.on"],
  middleware: ["socket.io:Server.use", "socket.io:Namespace.use"],
  run: ["engine.io:Server.init"],
  connect: ["engine.io:Server.handleRequest", "engine.io:BaseServer.handshake", "socket.io:Namespace._add", "engine.io:Server.handleUpgrade"],
  message: ["socket.io:Socket.onevent", "socket.io:Socket.dispatch", "socket.io:BroadcastOperator.emit", "socket.io-adapter:Adapter.broadcast"],
  heartbeat: ["engine.io:<anonymous setTimeout callback in Socket.schedulePing>", "engine.io:Socket.sendPacket", "engine.io:Socket.onPacket"],
  disconnect: ["socket.io:Socket.ondisconnect", "socket.io:Socket._onclose", "engine.io:Socket.onClose"],
};
