"""The agent's native network exits with real Frida in a real process that is not a JVM.

The simulator's apps cannot reach a native ``SSL_write`` (the JDK's TLS is pure Java; no
libssl is loaded into its JVM), so the native half of the agent's network section — the
CModule filter on libc's exits and the libssl hooks — runs here in a Python process, which
links OpenSSL: the section's own code (cut from agent.js between its markers) with stubs for
the agent state it reads. It must report TLS in clear from SSL_write / SSL_write_ex, not the
ciphertext below it nor the handshake's records, every send/sendmsg/write on a connected
INET socket once, nothing for files, pipes or sockets connected before the hooks.
"""

from __future__ import annotations

import base64
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.device.prompt_support import wait_until
from tests.e2e_support import require
from tests.hooks.probe import require_tools

AGENT = Path(__file__).resolve().parents[2] / "harness" / "hooks" / "agent.js"

STUBS = """
const ps = Process.pointerSize;
const NET_CAPTURE = 64 * 1024;
const state = { initialised: false, disposed: false, stacks: null, threadNames: new Map(),
  config: {} };
const net = { inWrite: new Set(), native: null };
function push (item) { send(item); }
function reportError (source, e) { send({ type: 'error', source, message: String(e) }); }
rpc.exports = {
  install () {
    const installed = [], failed = [], absent = [], layers = new Set();
    installNativeNetworkHooks(installed, failed, absent, layers);
    state.initialised = true;
    return { installed, failed, absent, preexisting_fds: net.native.preexisting };
  }
};
"""

CHILD = r"""
import os, socket, ssl, sys, tempfile, threading, time
cert, key = sys.argv[1], sys.argv[2]
early_srv = socket.socket(); early_srv.bind(("127.0.0.1", 0)); early_srv.listen()
early = socket.create_connection(early_srv.getsockname()); early_peer, _ = early_srv.accept()
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen()
sctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); sctx.load_cert_chain(cert, key)
def serve():
    while True:
        c, _ = srv.accept()
        def drain(c=c):
            try:
                first = c.recv(1, socket.MSG_PEEK)
                s = sctx.wrap_socket(c, server_side=True) if first == b"\x16" else c
                while s.recv(65536): pass
            except OSError:
                pass
        threading.Thread(target=drain, daemon=True).start()
threading.Thread(target=serve, daemon=True).start()
print("READY", srv.getsockname()[1], flush=True)
sys.stdin.readline()
with open(os.path.join(tempfile.mkdtemp(), "f"), "wb", buffering=0) as f:
    for _ in range(100): f.write(b"file-bytes")
early.sendall(b"before-the-hooks")
plain = socket.create_connection(srv.getsockname())
plain.sendall(b"send:plain-value-1")
os.write(plain.fileno(), b"write:plain-value-2")
plain.sendmsg([b"sendmsg:", b"plain-value-3"])
plain.close()
cctx = ssl.create_default_context(); cctx.check_hostname = False; cctx.verify_mode = ssl.CERT_NONE
tls = cctx.wrap_socket(socket.create_connection(srv.getsockname()))
tls.sendall(b"POST /v1 HTTP/1.1\r\n\r\ndid=tls-secret-value")
tls.close()
print("DONE", flush=True)
sys.stdin.readline()  # alive until the test has every item (the agent sends as it goes)
"""


def _agent_source() -> str:
    text = AGENT.read_text(encoding="utf-8")
    start = text.index("const NET_C = `")
    end = text.index("function installNetworkHooks () {")
    return STUBS + text[start:end]


def test_native_exits_and_ssl_write_in_a_process_with_openssl(tmp_path: Path) -> None:
    require_tools()
    openssl = shutil.which("openssl")
    if openssl is None:
        require("openssl", "it makes the test server's certificate")
    import frida

    cert, key = tmp_path / "c.pem", tmp_path / "k.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                    str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=t"],
                   check=True, capture_output=True, timeout=60)
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(cert), str(key)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    items: list[dict[str, Any]] = []
    try:
        assert child.stdout is not None and child.stdin is not None
        ready = child.stdout.readline().split()
        assert ready[0] == "READY", ready
        port = int(ready[1])
        session = frida.attach(child.pid)
        script = session.create_script(_agent_source())

        def on_message(message: dict[str, Any], data: Any) -> None:
            items.append(message.get("payload", message))

        script.on("message", on_message)
        script.load()
        result = script.exports_sync.install()
        child.stdin.write("go\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "DONE"

        def layers() -> list[str]:
            return [str(i.get("layer", "")) for i in items]

        # three plain writes and one TLS write, or whatever came within the deadline
        wait_until(lambda: layers().count("socket") >= 3 and "tls" in layers(),
                   "the child's four writes reported", timeout=60)
        session.detach()
    finally:
        child.kill()
        child.wait(timeout=30)
    assert result["failed"] == [], result
    assert {"libc.write", "libc.send", "libc.writev", "libc.sendmsg"} <= set(result["installed"])
    assert any(i.endswith("!SSL_write") for i in result["installed"]), result
    assert result["preexisting_fds"] >= 2  # both ends of the connection made before the hooks
    assert not [i for i in items if i.get("type") == "error"], items
    nets = [(i["hook"], i["layer"], i["port"], base64.b64decode(i["payload"])) for i in items]
    plain = [n for n in nets if n[1] == "socket"]
    assert sorted(p[3] for p in plain) == sorted([
        b"send:plain-value-1", b"write:plain-value-2", b"sendmsg:plain-value-3"]), nets
    assert all(p[2] == port for p in plain)
    # TLS: once, in clear, from libssl; neither its records nor the handshake's below it
    tls = [n for n in nets if n[1] == "tls"]
    assert [(t[0].split("!")[1], t[3]) for t in tls] in (
        [("SSL_write_ex", b"POST /v1 HTTP/1.1\r\n\r\ndid=tls-secret-value")],
        [("SSL_write", b"POST /v1 HTTP/1.1\r\n\r\ndid=tls-secret-value")]), nets
    assert tls[0][2] == port
    assert not [n for n in nets if n[3][:1] in (b"\x14", b"\x15", b"\x16", b"\x17")], nets
