"""A real ``interceptor serve`` process on an ephemeral port, for tests over real sockets."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
TOKENS = {"INTERCEPTOR_REVIEWER_TOKEN": "rev-token", "INTERCEPTOR_AUDITOR_TOKEN": "aud-token",
          "INTERCEPTOR_ADMIN_TOKEN": "adm-token", "INTERCEPTOR_SECRET": "test-secret"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, lexicon: Path, db: str, env: dict[str, str] | None = None, args: list[str] | None = None):
        self.lexicon, self.db = lexicon, db
        self.port = free_port()
        self.env = {**os.environ, **TOKENS, **(env or {})}
        self.args = args or []
        self.proc: subprocess.Popen[bytes] | None = None
        self._out: Any = None
        self.log = Path(str(db).removeprefix("sqlite:///") + f".{self.port}.log") if db.startswith("sqlite") else None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30) -> Server:
        self._out = open(self.log, "ab") if self.log else None  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "interceptor.cli", "serve", "--lexicon", str(self.lexicon), "--db", self.db,
             "--port", str(self.port), *self.args],
            env=self.env, stdout=self._out or subprocess.DEVNULL, stderr=subprocess.STDOUT, cwd=ROOT)
        if self._out is not None:
            self._out.close()  # the child holds its own descriptor
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}: "
                                   f"{self.log.read_text() if self.log else ''}")
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("server did not start")

    def stop(self, sig: int = signal.SIGTERM) -> int:
        assert self.proc is not None
        self.proc.send_signal(sig)
        return self.proc.wait(timeout=30)

    def kill9(self) -> None:
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait(timeout=10)

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        if self.proc and self.proc.poll() is None:
            self.stop()


def auth(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


ADMIN = auth("adm-token")
AUDITOR = auth("aud-token")
REVIEWER = auth("rev-token")
