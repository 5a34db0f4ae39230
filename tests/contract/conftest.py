"""Prism, a mock server that validates every request against spec/openapi.yaml.

Session fixtures install a pinned @stoplight/prism-cli into <repo>/.prism with npm (once; reused
while that version is installed there), start `prism mock spec/openapi.yaml --errors` on a free
port of 127.0.0.1, and stop it at the end. Where node or npm is missing the contract tests are
skipped with a message saying so.

Whether a request conforms to the spec is judged twice, independently:

- On the wire: every request the test sends through httpx is recorded (httpx.Client.send and
  httpx.AsyncClient.send are wrapped, not replaced). With --errors Prism answers a request that
  violates the spec with 422, and lists every violation it found in the `sl-violations` header.
- In Prism's log: Prism logs "The request passed the validation rules" for each request it
  accepts and "Violation: ..." for each problem. After the calls a barrier request to an unknown
  path is sent; Prism logs in order, so once the barrier shows up in the log every line about
  the earlier requests is there too.

Prism 5.14.2 copes with the upstream `type_:Name` component names and the
`#/components/schemas/type_:Name` $refs as they are (checked by hand: the 200 and 422 bodies it
generates follow the referenced schemas, and its response validation reports nothing), so it is
given spec/openapi.yaml itself, the very file the client is generated from.
"""

from __future__ import annotations

import fcntl
import http.client
import importlib
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "spec" / "openapi.yaml"
GENERATED = REPO / "generated"
PACKAGE = "elevenlabs_client"

# The newest Prism whose package.json accepts Node 20 (engines: node >= 18.20.1); 5.15 and later
# want Node 24.
PRISM_VERSION = "5.14.2"
PRISM_MIN_NODE = (18, 20, 1)
PRISM_DIR = REPO / ".prism"  # gitignored
PRISM_CLI = PRISM_DIR / "node_modules" / "@stoplight" / "prism-cli"
PRISM_STAMP = PRISM_DIR / f".installed-prism-cli-{PRISM_VERSION}"

INSTALL_TIMEOUT = 600.0
START_TIMEOUT = 60.0
LOG_TIMEOUT = 15.0

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_RECEIVED = re.compile(r"\[HTTP SERVER\] (\S+) (\S+) .*\bRequest received\s*$")
_PASSED = "The request passed the validation rules"
_VIOLATION = "Violation:"

_timings: dict[str, str] = {}


@dataclass(frozen=True)
class NodeTools:
    node: str
    npm: str
    version: str


@dataclass
class Exchange:
    """One request httpx sent and the response it got."""

    request: httpx.Request
    response: httpx.Response

    @property
    def summary(self) -> str:
        return f"{self.request.method} {self.request.url}"

    def describe(self) -> str:
        try:
            body = self.response.content.decode("utf-8", "replace")
        except httpx.ResponseNotRead:
            body = "<body not read>"
        request_headers = "".join(f"\n    {k}: {v}" for k, v in self.request.headers.items())
        response_headers = "".join(f"\n    {k}: {v}" for k, v in self.response.headers.items())
        return (
            f"  sent: {self.summary}{request_headers}\n"
            f"  Prism answered: {self.response.status_code}{response_headers}\n    {body}"
        )


@dataclass
class Wire:
    """Every httpx exchange made while a test runs."""

    exchanges: list[Exchange] = field(default_factory=list)


@dataclass
class LoggedRequest:
    """The lines Prism logged about one request it received."""

    method: str
    path: str
    lines: list[str]

    @property
    def passed(self) -> bool:
        return any(_PASSED in line for line in self.lines)

    @property
    def violations(self) -> list[str]:
        return [line.split(_VIOLATION, 1)[1].strip() for line in self.lines if _VIOLATION in line]


@dataclass
class Verdict:
    """What the wire and Prism's log say about the requests a test sent."""

    problems: list[str]
    details: str

    def assert_conforms(self) -> None:
        if self.problems:
            listed = "\n".join(f"- {problem}" for problem in self.problems)
            raise AssertionError(
                "Prism found the requests do not conform to spec/openapi.yaml:\n"
                f"{listed}\n{self.details}"
            )


class PrismServer:
    def __init__(self, process: subprocess.Popen[bytes], port: int, log_path: Path) -> None:
        self.process = process
        self.port = port
        self.base_url = f"http://127.0.0.1:{port}"
        self.log_path = log_path

    def log_text(self, since: int = 0) -> str:
        with self.log_path.open("rb") as log:
            log.seek(since)
            return _ANSI.sub("", log.read().decode("utf-8", "replace"))

    def mark(self) -> int:
        """Where Prism's log ends now: pass it to verdict() to judge only what is sent after."""
        return self.log_path.stat().st_size

    def logged_requests(self, since: int) -> list[LoggedRequest]:
        """The requests Prism logged after `since`, each with its lines (sends a barrier first)."""
        barrier = f"/__contract_barrier__/{uuid.uuid4().hex}"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=LOG_TIMEOUT)
        try:
            connection.request("GET", barrier)
            connection.getresponse().read()
        finally:
            connection.close()
        deadline = time.monotonic() + LOG_TIMEOUT
        while True:
            requests = _split_requests(self.log_text(since))
            for index, logged in enumerate(requests):
                if logged.path == barrier:
                    return requests[:index]
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"Prism did not log the barrier request {barrier} within {LOG_TIMEOUT:.0f}s;"
                    f" its log since the test started:\n{self.log_text(since)}"
                )
            time.sleep(0.05)

    def verdict(self, since: int, wire: Wire, expected_requests: int) -> Verdict:
        """Judge what was sent to Prism since `since`: `expected_requests` requests, all valid."""
        sent = [
            exchange
            for exchange in wire.exchanges
            if exchange.request.url.host == "127.0.0.1" and exchange.request.url.port == self.port
        ]
        logged = self.logged_requests(since)
        problems: list[str] = []
        if len(sent) != expected_requests:
            problems.append(
                f"{len(sent)} request(s) were sent to Prism, expected {expected_requests}"
            )
        if len(logged) != expected_requests:
            problems.append(f"Prism logged {len(logged)} request(s), expected {expected_requests}")
        for exchange in sent:
            violations = exchange.response.headers.get("sl-violations")
            if violations:
                problems.append(f"{exchange.summary}: Prism's sl-violations header: {violations}")
            if not 200 <= exchange.response.status_code < 300:
                problems.append(
                    f"{exchange.summary}: Prism answered {exchange.response.status_code}"
                )
        for request in logged:
            where = f"Prism's log of {request.method.upper()} {request.path}"
            if not request.passed:
                problems.append(f"{where}: the request did not pass the validation rules")
            problems.extend(f"{where}: Violation: {violation}" for violation in request.violations)
        details = "requests sent:\n" + ("\n".join(e.describe() for e in sent) or "  none")
        details += "\nPrism's log of them:\n" + (
            "\n".join("\n".join(f"  {line}" for line in request.lines) for request in logged)
            or "  nothing"
        )
        return Verdict(problems, details)


def _split_requests(text: str) -> list[LoggedRequest]:
    requests: list[LoggedRequest] = []
    for line in text.splitlines():
        match = _RECEIVED.search(line)
        if match:
            requests.append(LoggedRequest(match.group(1), match.group(2), [line]))
        elif requests:
            requests[-1].lines.append(line)
    return requests


# --- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def node_tools() -> NodeTools:
    node, npm = shutil.which("node"), shutil.which("npm")
    missing = [name for name, path in (("node", node), ("npm", npm)) if path is None]
    if node is None or npm is None:
        pytest.skip(
            f"{' and '.join(missing)} not found on PATH: the Prism contract tests are skipped"
            f" (install Node.js >= {'.'.join(map(str, PRISM_MIN_NODE))} with npm to run them)"
        )
    version = subprocess.run(
        [node, "--version"], capture_output=True, text=True, timeout=60
    ).stdout.strip()
    numbers = tuple(int(part) for part in re.findall(r"\d+", version)[:3])
    if numbers < PRISM_MIN_NODE:
        pytest.skip(
            f"node {version or '(unknown version)'} is older than Prism {PRISM_VERSION} needs"
            f" ({'.'.join(map(str, PRISM_MIN_NODE))}): the Prism contract tests are skipped"
        )
    return NodeTools(node, npm, version)


def _prism_installed() -> bool:
    manifest = PRISM_CLI / "package.json"
    if not (
        PRISM_STAMP.is_file() and manifest.is_file() and (PRISM_CLI / "dist" / "index.js").is_file()
    ):
        return False
    return f'"version": "{PRISM_VERSION}"' in manifest.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def prism_entry(node_tools: NodeTools) -> Path:
    """Prism's CLI script in <repo>/.prism, installed by npm unless the pinned version is there."""
    PRISM_DIR.mkdir(exist_ok=True)
    # Two test runs at once (two shells on one tree) must not run npm into the same folder together.
    with (PRISM_DIR / ".install.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _prism_installed():
            _timings["npm install"] = "reused .prism/"
        else:
            for stale in PRISM_DIR.glob(".installed-prism-cli-*"):
                stale.unlink()
            command = [
                node_tools.npm,
                "install",
                "--prefix",
                str(PRISM_DIR),
                "--no-audit",
                "--no-fund",
                f"@stoplight/prism-cli@{PRISM_VERSION}",
            ]
            shown = shlex.join(command)
            started = time.monotonic()
            try:
                done = subprocess.run(
                    command,
                    capture_output=True,
                    text=True,
                    timeout=INSTALL_TIMEOUT,
                    stdin=subprocess.DEVNULL,
                )
            except subprocess.TimeoutExpired as exc:
                pytest.fail(f"`{shown}` did not finish in {INSTALL_TIMEOUT:.0f}s:\n{exc.output}")
            if done.returncode != 0:
                output = done.stdout + done.stderr
                pytest.fail(f"`{shown}` failed with exit code {done.returncode}:\n{output}")
            PRISM_STAMP.write_text(f"{PRISM_VERSION}\n", encoding="utf-8")
            if not _prism_installed():
                pytest.fail(f"`{shown}` succeeded but {PRISM_CLI} is not Prism {PRISM_VERSION}")
            _timings["npm install"] = f"{time.monotonic() - started:.1f}s"
    return PRISM_CLI / "dist" / "index.js"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@contextmanager
def start_prism(
    node_tools: NodeTools, prism_entry: Path, spec: Path, folder: Path
) -> Iterator[PrismServer]:
    """Prism mocking `spec` on a free port of 127.0.0.1 (--errors), its log in `folder`.

    Prism resolves the spec's relative $refs itself, so a multi-file spec is given by its entry
    file. Stopped when the block ends.
    """
    environment = {**os.environ, "FORCE_COLOR": "0"}
    started = time.monotonic()
    for attempt in range(1, 4):
        port = _free_port()
        log_path = folder / f"prism-{attempt}.log"
        command = [node_tools.node, str(prism_entry), "mock", str(spec)]
        command += ["-h", "127.0.0.1", "-p", str(port), "--errors"]
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                command,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                cwd=REPO,
                env=environment,
            )
        server = PrismServer(process, port, log_path)
        listening = f"Prism is listening on {server.base_url}"
        deadline = time.monotonic() + START_TIMEOUT
        try:
            while process.poll() is None and listening not in server.log_text():
                if time.monotonic() > deadline:
                    pytest.fail(
                        f"Prism did not start listening on {server.base_url}"
                        f" within {START_TIMEOUT:.0f}s."
                        f"\ncommand: {shlex.join(command)}\nits output:\n{server.log_text()}"
                    )
                time.sleep(0.05)
            if process.poll() is None:
                with socket.create_connection(("127.0.0.1", port), timeout=5):
                    pass
                break
            output = server.log_text()
            if "EADDRINUSE" in output and attempt < 3:  # another process took the free port first
                continue
            pytest.fail(
                f"Prism exited with code {process.returncode} before accepting connections."
                f"\ncommand: {shlex.join(command)}\nits output:\n{output}"
            )
        except BaseException:
            _stop(process)
            raise
    _timings[f"Prism start ({spec.name})"] = f"{time.monotonic() - started:.1f}s"
    try:
        yield server
    finally:
        _stop(process)


@pytest.fixture(scope="session")
def prism(
    node_tools: NodeTools, prism_entry: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PrismServer]:
    """Prism mocking spec/openapi.yaml on 127.0.0.1; invalid requests get 422 (--errors)."""
    with start_prism(node_tools, prism_entry, SPEC, tmp_path_factory.mktemp("prism")) as server:
        yield server


@pytest.fixture
def wire(monkeypatch: pytest.MonkeyPatch) -> Wire:
    """Records every request sent through httpx during the test, with Prism's response."""
    recorded = Wire()
    sync_send = httpx.Client.send
    async_send = httpx.AsyncClient.send

    def send(self: httpx.Client, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        response = sync_send(self, request, **kwargs)
        recorded.exchanges.append(Exchange(request, response))
        return response

    async def asend(
        self: httpx.AsyncClient, request: httpx.Request, **kwargs: Any
    ) -> httpx.Response:
        response = await async_send(self, request, **kwargs)
        recorded.exchanges.append(Exchange(request, response))
        return response

    monkeypatch.setattr(httpx.Client, "send", send)
    monkeypatch.setattr(httpx.AsyncClient, "send", asend)
    return recorded


@pytest.fixture(scope="session")
def elevenlabs() -> Iterator[ModuleType]:
    """The generated client package, imported from generated/ (not from elsewhere on sys.path)."""
    package_dir = GENERATED / PACKAGE
    loaded = sys.modules.get(PACKAGE)
    if loaded is not None and Path(getattr(loaded, "__file__", "") or "").parent != package_dir:
        for name in [
            name for name in sys.modules if name == PACKAGE or name.startswith(f"{PACKAGE}.")
        ]:
            del sys.modules[name]
    added = str(GENERATED) not in sys.path
    if added:
        sys.path.insert(0, str(GENERATED))
    try:
        try:
            module = importlib.import_module(PACKAGE)
        except Exception as exc:
            pytest.fail(f"the generated client in generated/ cannot be imported: {exc!r}")
        assert Path(module.__file__ or "").parent == package_dir, (
            f"{PACKAGE} was imported from {module.__file__}"
        )
        yield module
    finally:
        if added:
            sys.path.remove(str(GENERATED))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _timings:
        spent = ", ".join(f"{what}: {took}" for what, took in _timings.items())
        terminalreporter.write_line(f"contract tests: Prism {PRISM_VERSION} ({spent})")
