"""A `streamlit run` on a free port of 127.0.0.1, healthy before it is handed over.

Shared by the browser tests (`tests/e2e/conftest.py`'s ``App``) and the browser benchmark
(`benchmarks/bench_browser.py`, cxroi and the bare app): the standard library only, no
pytest, so a benchmark can import it without the test machinery.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import IO

__all__ = ["Server", "free_port", "STREAMLIT_FLAGS"]

STREAMLIT_FLAGS = ("--server.headless", "true", "--server.fileWatcherType", "none",
                   "--browser.gatherUsageStats", "false")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``streamlit run SCRIPT`` from ``cwd`` with ``env`` added to this process's environment;
    its output goes to ``log`` (a path, kept) or a temporary file (removed on `stop`).
    Raises when it is not healthy within ``timeout`` seconds (the log's name in the message)."""

    def __init__(self, script: Path, cwd: Path, env: dict[str, str] | None = None, *,
                 log: Path | None = None, timeout: float = 60.0) -> None:
        self._temporary = log is None  # removed on stop; a named log is kept
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log: IO = log.open("w") if log is not None else tempfile.NamedTemporaryFile(
            "w", prefix="streamlit-", suffix=".log", delete=False)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script), "--server.port",
             str(self.port), *STREAMLIT_FLAGS],
            cwd=cwd, env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as reply:
                    if reply.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"streamlit did not start; see {self.log.name}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.log.close()
        if self._temporary:
            Path(self.log.name).unlink(missing_ok=True)
