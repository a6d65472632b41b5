"""Hostile inputs for digest, each run beside one good source, shared by the tests and the bench.

A raw-socket server on 127.0.0.1 misbehaves below HTTP (headers dripped a byte at a time,
connections that never answer, stacked gzip bombs); the other cases are files generated on the
spot. `run_case` runs `digest run` (archive only) as a subprocess and reports its wall time, its
peak memory (the child's maximum resident set, from wait4), its exit code, its standard error
and the archived issue's HTML.
"""

from __future__ import annotations

import gzip
import json
import os
import socket
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

import yaml

ARTICLES = Path(__file__).resolve().parent / "data" / "articles"
GOOD_FILE = "river-festival.txt"
GOOD_TITLE = "River festival"
SECRET = "SECRET-OUTSIDE-THE-FOLDER"

Handler = Callable[[socket.socket], None]


class RawServer:
    """A server on 127.0.0.1 that hands each connection to the handler of its request path."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Handler] = {}
        self.hits: list[str] = []
        self.stopping = threading.Event()
        self.host = host
        self._sock = self._listen(0)
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _listen(self, port: int) -> socket.socket:
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, port))
        sock.listen(128)
        sock.settimeout(0.1)
        return sock

    def rebind(self, port: int) -> bool:
        """Listen on `port` instead (another loopback address may share a port number)."""
        try:
            sock = self._listen(port)
        except OSError:
            return False
        self._sock.close()
        self._sock = sock
        return True

    @property
    def port(self) -> int:
        """The port it listens on."""
        return int(self._sock.getsockname()[1])

    def url(self, path: str) -> str:
        """The full URL of a path on this server."""
        return f"http://{self.host}:{self.port}{path}"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self._thread.join(5)
        self._sock.close()

    def _serve(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(5)
            head = b""
            while b"\r\n\r\n" not in head and len(head) < 65536:
                data = conn.recv(4096)
                if not data:
                    return
                head += data
            path = head.split(b" ", 2)[1].decode("latin-1") if b" " in head else "/"
            self.hits.append(path)
            handler = self.routes.get(path) or self.routes.get("*") or send(b"", 404)
            handler(conn)
        except OSError:
            pass
        finally:
            conn.close()

    def silent(self) -> Handler:
        """Accept, read the request, never answer (until the server stops)."""
        return lambda conn: self.stopping.wait(600)

    def drip(self, every: float = 0.5) -> Handler:
        """Headers that never end, one byte every `every` seconds."""

        def handler(conn: socket.socket) -> None:
            conn.sendall(b"HTTP/1.1 200 OK\r\n")
            while not self.stopping.wait(every):
                conn.sendall(b"X")

        return handler


def send(body: bytes, status: int = 200, headers: dict[str, str] | None = None) -> Handler:
    """A complete response, then the connection closes."""
    lines = [f"HTTP/1.1 {status} X", f"Content-Length: {len(body)}", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    raw = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
    return lambda conn: conn.sendall(raw)


def gzip_bomb(inner_bytes: int) -> bytes:
    """`inner_bytes` zero bytes gzipped twice: a few kilobytes that unpack to the whole."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1 << 20)
    parts = [packer.compress(block) for _ in range(inner_bytes >> 20)]
    parts.append(packer.flush())
    return gzip.compress(b"".join(parts), 9)


def rss(items: list[tuple[str, str, str]]) -> bytes:
    """An RSS 2.0 feed of (title, link, description) items."""
    from xml.sax.saxutils import escape

    body = "".join(
        f"<item><title>{escape(t)}</title><link>{escape(link)}</link>"
        f"<guid>{escape(link)}</guid><description>{escape(d)}</description></item>"
        for t, link, d in items
    )
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>'
            f"<link>http://example.org/</link>{body}</channel></rss>").encode()


@dataclass
class Case:
    """One hostile input: what it adds to the config, and the bound its run must end within."""

    name: str
    setup: Callable[[Path, RawServer], dict[str, Any]]
    bound: float = 60.0  # seconds; generous, from the deadlines the case configures
    fetch: dict[str, Any] = field(default_factory=dict)


@dataclass
class Outcome:
    """How `digest run` went on a case."""

    seconds: float
    peak_mb: float
    returncode: int
    stderr: str
    html: str


def _feed_source(url_or_path: str, **more: Any) -> dict[str, Any]:
    key = "url" if url_or_path.startswith("http") else "path"
    return {"name": "hostile", "kind": "feed", key: url_or_path, "allow_private": True, **more}


def _folder_source(folder: Path, **more: Any) -> dict[str, Any]:
    return {"name": "hostile", "kind": "folder", "path": str(folder), **more}


def _story(title: str) -> str:
    return (f"{title}\n\n" + "The council met on Tuesday to discuss the new budget for the "
            "libraries of the city, which will open longer in the evenings. " * 6)


def _drip(tmp: Path, server: RawServer) -> dict[str, Any]:
    server.routes["/feed"] = server.drip(0.5)
    return _feed_source(server.url("/feed"))


def _gzip_bomb(tmp: Path, server: RawServer) -> dict[str, Any]:
    cached = tmp.parent / "bomb.gz"  # one bomb for every run of the case in this session
    if not cached.exists():
        cached.write_bytes(gzip_bomb(1 << 30))
    bomb = cached.read_bytes()
    server.routes["/feed"] = send(bomb, headers={"Content-Type": "application/rss+xml",
                                                 "Content-Encoding": "gzip, gzip"})
    return _feed_source(server.url("/feed"))


def _never_answering_links(tmp: Path, server: RawServer) -> dict[str, Any]:
    items = [(f"Teaser {n}", server.url(f"/silent/{n}"), "Short teaser.") for n in range(40)]
    server.routes["/feed"] = send(rss(items), headers={"Content-Type": "application/rss+xml"})
    server.routes["*"] = server.silent()
    return _feed_source(server.url("/feed"), full_text=True)


def _invalid_urls(tmp: Path, server: RawServer) -> dict[str, Any]:
    links = [server.url("/" + "a" * 70_000), "http://[::1", "http://exa mple.org/x",
             "http://example.org:99999/", "javascript:alert(1)"]
    items = [(f"Odd link {n}", link, "Short teaser.") for n, link in enumerate(links)]
    server.routes["/feed"] = send(rss(items), headers={"Content-Type": "application/rss+xml"})
    return _feed_source(server.url("/feed"), full_text=True)


def _json_feed(tmp: Path, items: list[dict[str, Any]], **feed: Any) -> dict[str, Any]:
    path = tmp / "feed.json"
    data = {"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": items, **feed}
    path.write_text(json.dumps(data), encoding="utf-8")
    return _feed_source(str(path))


def _control_characters(tmp: Path, server: RawServer) -> dict[str, Any]:
    controls = "".join(chr(c) for c in [*range(0, 32), 127, 0x85, 0xFFFE, 0xFFFF, 0xD800])
    items = [{"id": "c", "url": "http://example.org/c", "title": f"Bad{controls}title",
              "content_text": _story(f"Body{controls}text"), "authors": [{"name": controls}],
              "tags": [controls]}]
    return _json_feed(tmp, items)


def _odd_json_types(tmp: Path, server: RawServer) -> dict[str, Any]:
    items = [{"id": 7, "url": ["http://example.org/a"], "title": ["a", "list"],
              "content_text": {"no": "text"}, "language": ["en"], "tags": "not a list",
              "authors": "nobody", "image": 3, "date_published": 12},
             {"id": "ok", "title": "A plain entry", "content_text": _story("A plain entry"),
              "language": 5}]
    return _json_feed(tmp, items, language=["en"], authors=[1, None])


def _folder_with(tmp: Path, name: bytes | str, content: bytes) -> dict[str, Any]:
    folder = tmp / "files"
    folder.mkdir(exist_ok=True)
    target = os.path.join(os.fsencode(folder), os.fsencode(name))
    with open(target, "wb") as handle:
        handle.write(content)
    return _folder_source(folder)


def _utf32(tmp: Path, server: RawServer) -> dict[str, Any]:
    return _folder_with(tmp, "wide.txt", _story("Wide text").encode("utf-32"))


def _bad_file_name(tmp: Path, server: RawServer) -> dict[str, Any]:
    return _folder_with(tmp, b"caf\xe9-\xff.txt", _story("Latin name").encode())


def _deep_folders(tmp: Path, server: RawServer) -> dict[str, Any]:
    folder = tmp / "deep"
    folder.mkdir()
    fd = os.open(folder, os.O_RDONLY)
    for _ in range(1200):  # each level made from the one above: no long paths needed
        os.mkdir("d", dir_fd=fd)
        inner = os.open("d", os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = inner
    handle = os.open("deep.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
    os.write(handle, _story("Deep down").encode())
    os.close(handle)
    os.close(fd)
    (folder / "top.txt").write_text(_story("Near the top"), encoding="utf-8")
    return _folder_source(folder)


def _symlink_out(tmp: Path, server: RawServer) -> dict[str, Any]:
    secret = tmp / "secret"
    secret.mkdir()
    (secret / "private.txt").write_text(_story(SECRET), encoding="utf-8")
    folder = tmp / "links"
    folder.mkdir()
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "private.txt").symlink_to(secret / "private.txt")
    (folder / "outside").symlink_to(secret, target_is_directory=True)
    return _folder_source(folder)


def _alias_bomb(tmp: Path, server: RawServer) -> dict[str, Any]:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, 12):
        prev = chr(ord("a") + n - 1)
        this = chr(ord("a") + n)
        lines.append(f"{this}: &{this} [{', '.join(['*' + prev] * 9)}]")
    front = "\n".join(lines)
    return _folder_with(tmp, "bomb.md", f"---\n{front}\n---\n\n{_story('Bomb')}".encode())


def _deep_front_matter(tmp: Path, server: RawServer) -> dict[str, Any]:
    front = "x: " + "[" * 50_000 + "]" * 50_000
    return _folder_with(tmp, "deep.md", f"---\n{front}\n---\n\n{_story('Deep')}".encode())


def _dev_zero(tmp: Path, server: RawServer) -> dict[str, Any]:
    return _feed_source("/dev/zero")


def _fifo(tmp: Path, server: RawServer) -> dict[str, Any]:
    fifo = tmp / "feed.xml"
    os.mkfifo(fifo)
    return _feed_source(str(fifo))


def _fifo_in_folder(tmp: Path, server: RawServer) -> dict[str, Any]:
    folder = tmp / "pipes"
    folder.mkdir()
    os.mkfifo(folder / "pipe.txt")
    return _folder_source(folder)


def _huge_line(tmp: Path, server: RawServer) -> dict[str, Any]:
    words = ("Longline " + "word " * 2_000_000)[: 10 * 1024 * 1024 - 10]
    return _folder_with(tmp, "long.txt", words.encode())


def _deep_html(tmp: Path, server: RawServer) -> dict[str, Any]:
    page = "<html><body>" + "<div>" * 100_000 + _story("Deep page") + "</div>" * 100_000
    return _folder_with(tmp, "deep.html", (page + "</body></html>").encode())


def _deep_json_feed(tmp: Path, server: RawServer) -> dict[str, Any]:
    path = tmp / "deep.json"
    path.write_text('{"version": "1.1", "items": ' + "[" * 100_000 + "]" * 100_000 + "}",
                    encoding="utf-8")
    return _feed_source(str(path))


CASES = [
    Case("slow drip headers", _drip, bound=30, fetch={"timeout": 3}),
    Case("stacked gzip bomb", _gzip_bomb, bound=60),
    Case("40 never-answering full_text links", _never_answering_links, bound=40,
         fetch={"timeout": 20, "deadline": 6}),
    Case("invalid URLs in full_text links", _invalid_urls, bound=40, fetch={"timeout": 3}),
    Case("control characters in every field", _control_characters),
    Case("JSON Feed fields of the wrong type", _odd_json_types),
    Case("UTF-32 text file", _utf32),
    Case("non-UTF-8 file name", _bad_file_name),
    Case("1,200 nested folders", _deep_folders),
    Case("symlinks out of the folder", _symlink_out),
    Case("YAML alias bomb in front matter", _alias_bomb),
    Case("YAML front matter nested 50,000 deep", _deep_front_matter),
    Case("feed path /dev/zero", _dev_zero),
    Case("feed path is a FIFO", _fifo, bound=30),
    Case("FIFO in a folder", _fifo_in_folder, bound=30),
    Case("10 MB one-line text", _huge_line, bound=120),
    Case("HTML nested 100,000 deep", _deep_html),
    Case("JSON Feed nested 100,000 deep", _deep_json_feed),
]


def write_config(tmp: Path, case: Case, server: RawServer) -> Path:
    """The config of a case: the hostile source, then one good folder, archive only."""
    good = tmp / "good"
    good.mkdir()
    (good / GOOD_FILE).write_bytes((ARTICLES / GOOD_FILE).read_bytes())
    hostile = case.setup(tmp, server)
    config = {
        "sources": [hostile, {"name": "good", "kind": "folder", "path": str(good)}],
        "summary": {"cache": False},
        "collect": {"lookback_days": 3650},
        "fetch": {"timeout": 5, **case.fetch},
        "output": {"dir": str(tmp / "out")},
        "state": {"path": str(tmp / "state" / "state.db")},
    }
    path = tmp / "config.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def run_cli(args: list[str], *, timeout: float = 300, env: dict[str, str] | None = None
            ) -> tuple[float, float, int, str, str]:
    """Run `digest ARGS` as a child; its seconds, peak RSS in MB, exit code, stdout, stderr."""
    started = time.monotonic()
    child = subprocess.Popen([sys.executable, "-m", "digest", *args], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env={**os.environ, **(env or {})})
    outputs: dict[str, bytes] = {}
    readers = [threading.Thread(target=lambda n=n, s=s: outputs.__setitem__(n, s.read()))
               for n, s in (("out", child.stdout), ("err", child.stderr))]
    for reader in readers:
        reader.start()
    killer = threading.Timer(timeout, child.kill)
    killer.start()
    _, status, usage = os.wait4(child.pid, 0)
    killer.cancel()
    child.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join()
    seconds = time.monotonic() - started
    text = {k: v.decode("utf-8", "replace") for k, v in outputs.items()}
    return seconds, usage.ru_maxrss / 1024, child.returncode, text["out"], text["err"]


def run_case(case: Case, tmp: Path) -> Outcome:
    """Run `digest run` on a case and read what it archived."""
    with RawServer() as server:
        config = write_config(tmp, case, server)
        seconds, peak, code, _, err = run_cli(["run", "-c", str(config)])
    pages = sorted((tmp / "out" / "issues").glob("*/index.html"))
    html = pages[0].read_text(encoding="utf-8") if pages else ""
    if (tmp / "deep").exists():  # shutil.rmtree recurses once a level: too deep for it
        subprocess.run(["rm", "-rf", str(tmp / "deep")], check=True)
    return Outcome(seconds, peak, code, err, html)


class SlowSmtp(RawServer):
    """An SMTP server over raw sockets on 127.0.0.1: it greets and answers EHLO at once, then
    takes `every` seconds over each later reply. `accepted` lists whom it took a message for.
    With `drip`, it answers MAIL with a long reply sent one byte every `drip` seconds: each byte
    comes well within any socket timeout, but the reply as a whole takes `drip` × 200 seconds."""

    def __init__(self, every: float = 0.4, drip: float | None = None) -> None:
        super().__init__()
        self.every = every
        self.drip = drip
        self.accepted: list[str] = []

    def _one(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(60)
            lines = conn.makefile("rb")
            conn.sendall(b"220 slow.example ESMTP\r\n")
            envelope: list[str] = []
            for line in lines:
                command = line[:4].upper()
                if command in (b"EHLO", b"HELO"):
                    conn.sendall(b"250-slow.example\r\n250 8BITMIME\r\n")
                    continue
                if self.stopping.wait(self.every):
                    return
                if command == b"RCPT":
                    envelope.append(line.split(b":", 1)[1].strip(b" <>\r\n").decode())
                elif command == b"MAIL":
                    envelope = []
                    if self.drip is not None:
                        self._drip(conn, b"250-" + b"." * 190 + b"\r\n")
                elif command == b"QUIT":
                    conn.sendall(b"221 bye\r\n")
                    return
                elif command == b"DATA":
                    conn.sendall(b"354 go on\r\n")
                    while lines.readline() not in (b".\r\n", b""):
                        pass
                    if self.stopping.wait(self.every):
                        return
                    self.accepted.extend(envelope)
                conn.sendall(b"250 ok\r\n")
        except OSError:
            pass
        finally:
            conn.close()

    def _drip(self, conn: socket.socket, reply: bytes) -> None:
        for byte in reply:
            if self.stopping.wait(self.drip):
                return
            conn.sendall(bytes([byte]))
