# The built-in scenario's Flask-SocketIO server: the same small chat as traces/chat/server.mjs,
# written the way a Flask-SocketIO user writes one. trace-socket (--server flask) runs it one
# step at a time; run on its own (`python3 traces/chat-flask/app.py`) it is an ordinary chat
# server on http://127.0.0.1:5000.
import os

from flask import Flask, request
from flask_socketio import SocketIO, emit

app = Flask(__name__)


@app.route("/")
def index():
    # Everything outside /socket.io/ reaches Flask: _SocketIOMiddleware passes it through.
    return "trace-socket chat (Flask-SocketIO): connect a socket.io client to /socket.io/\n"


origins = os.environ.get("CHAT_ORIGINS", "http://localhost:5000,http://127.0.0.1:5000").split(",")

socketio = SocketIO(app, cors_allowed_origins=origins, ping_interval=1.5, ping_timeout=3)


@socketio.on("chat message")
def chat_message(text):
    emit("chat message", text, broadcast=True)
    return {"received": True}


@socketio.on("disconnect")
def on_disconnect():
    print(f"disconnected: {request.sid}", flush=True)


@socketio.on("connect")
def on_connect(auth):
    if not auth or auth.get("token") != "let-me-in":
        return False
    print(f"connected: {request.sid}", flush=True)


if __name__ == "__main__":
    socketio.run(app, host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", "5000")))
