/**
 * Shared by the Flask tests: whether Debian's Python side is installed (the
 * integration tests skip, saying so, only when it is not), and small builders.
 */
import { probePython } from "../../src/runtime/python/python-env.js";

const probe = probePython();

/** True when `/usr/bin/python3` (or `TRACE_SOCKET_PYTHON`) imports Flask-SocketIO, python-socketio, python-engineio and eventlet. */
export const pythonAvailable = probe.ok;

/** The interpreter the integration tests run. */
export const python = probe.python;

/** Why the integration tests are skipped, for their titles. */
export const skipReason = probe.ok ? "" : ` (skipped: ${probe.reason}; apt-get install python3-flask-socketio python3-eventlet)`;
