"""Serve the built book with live code (``make live``).

Starts two servers, both bound to 127.0.0.1 on free ports:

* a Jupyter server (kernels for the book's "Live code" button) with a random token, which accepts
  cross-origin requests only from the book's own address (``ServerApp.allow_origin``, never ``*``);
* a static HTTP server for ``_build/html``.

It writes the Jupyter server's address and token to ``_build/html/_static/live-config.json``, which the page
reads when the reader presses "Live code" (the file is removed on exit and never committed). Kernels run with
``SPINLAB_WIDGETS=live``, so ``spinlab.widgets.explore`` cells become ipywidgets, and with the chapter's folder
(``book/``) as working directory, as in the build. Stop with Ctrl-C.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONFIG_NAME = "live-config.json"
THEBE = Path("_static/vendor/thebe/index.js")


class BookHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def jupyter_command(port: int, token: str, origin: str, root_dir: Path) -> list[str]:
    command = [
        sys.executable,
        "-m",
        "jupyter_server",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.allow_origin={origin}",
        "--ServerApp.allow_remote_access=False",
        "--ServerApp.open_browser=False",
        "--ServerApp.terminals_enabled=False",
        f"--ServerApp.root_dir={root_dir}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--ServerApp.allow_root=True")
    return command


def wait_until_up(url: str, token: str, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(f"{url}/api/status", headers={"Authorization": f"token {token}"})
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the Jupyter server exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the Jupyter server did not answer at {url} within {timeout:.0f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html", help="the built book")
    parser.add_argument("--port", type=int, default=0, help="port of the book (default: a free one)")
    parser.add_argument("--jupyter-port", type=int, default=0, help="port of the Jupyter server (default: a free one)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for the Jupyter server")
    args = parser.parse_args(argv)

    html = args.html.resolve()
    if not (html / "index.html").is_file() or not (html / THEBE).is_file():
        print(f"no book with live code at {html}: run `make book` first", file=sys.stderr)
        return 1

    book = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), functools.partial(BookHandler, directory=html))
    origin = f"http://127.0.0.1:{book.server_address[1]}"
    jupyter_port = args.jupyter_port or free_port()
    jupyter_url = f"http://127.0.0.1:{jupyter_port}"
    token = secrets.token_hex(24)
    env = dict(os.environ, SPINLAB_WIDGETS="live")
    env.setdefault("NUMBA_CACHE_DIR", str(ROOT / ".numba_cache"))
    command = jupyter_command(jupyter_port, token, origin, ROOT)
    jupyter = subprocess.Popen(command, env=env, cwd=ROOT, stdout=sys.stderr)  # stdout carries only our address
    config = html / "_static" / CONFIG_NAME
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    serving = None
    try:
        wait_until_up(jupyter_url, token, jupyter, args.timeout)
        settings = {"baseUrl": jupyter_url, "wsUrl": f"ws://127.0.0.1:{jupyter_port}", "token": token}
        config.write_text(json.dumps(settings))
        serving = threading.Thread(target=book.serve_forever, daemon=True)
        serving.start()
        print(f"spinlab live: open {origin}/index.html and press the play button of a chapter", flush=True)
        while not stop.is_set() and jupyter.poll() is None:
            stop.wait(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        config.unlink(missing_ok=True)
        if serving is not None:
            book.shutdown()
        book.server_close()
        if jupyter.poll() is None:
            jupyter.terminate()
            try:
                jupyter.wait(timeout=10)
            except subprocess.TimeoutExpired:
                jupyter.kill()
    return 0 if jupyter.returncode in (0, None, -signal.SIGTERM) else 1


if __name__ == "__main__":
    sys.exit(main())
