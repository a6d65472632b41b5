"""Reading files and pages into Documents: formats, encodings, bad files, folders, web pages."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from digest.config import FetchConfig, SourceConfig
from digest.errors import SourceError
from digest.sources.folder import folder_files, load_path, read_folder
from digest.sources.pages import load_url
from tests.httpserver import Reply, Server, serving

FETCH = FetchConfig()
PAGE = f"<html><head><title>Hi</title></head><body><p>{'Words of a story. ' * 20}</p></body>"


@pytest.fixture
def server() -> Iterator[Server]:
    """A live HTTP server on 127.0.0.1."""
    with serving() as live:
        yield live


@pytest.mark.parametrize(("name", "fmt"), [
    ("note.txt", "text"), ("post.md", "markdown"), ("page.html", "html"), ("old.htm", "html"),
])
def test_format_follows_the_extension(tmp_path: Path, name: str, fmt: str) -> None:
    path = tmp_path / name
    path.write_text("Hello there.", encoding="utf-8")
    document = load_path(path, "files", FETCH, root=tmp_path)
    assert document.format == fmt
    assert document.uid == name
    assert document.content_hash == hashlib.sha256(b"Hello there.").hexdigest()
    assert document.path == str(path) and document.published is None


def test_uid_is_the_path_inside_the_folder(tmp_path: Path) -> None:
    path = tmp_path / "2024" / "may" / "story.txt"
    path.parent.mkdir(parents=True)
    path.write_text("A story.")
    assert load_path(path, "files", FETCH, root=tmp_path).uid == "2024/may/story.txt"


@pytest.mark.parametrize(("encoding", "text"), [
    ("latin-1", "Café au lait, naïve façade, über große Straße, à la carte."),
    ("cp1252", "“Smart quotes” — an em dash, a price of 5 € and a café."),
    ("shift_jis", "日本語のテキストです。東京の天気は晴れです。"),
    ("utf-8-sig", "Ünïcode with a byte-order mark."),
    ("utf-16", "UTF-16 with its byte-order mark, naïve."),
])
def test_encodings_come_out_right(tmp_path: Path, encoding: str, text: str) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes(text.encode(encoding))
    document = load_path(path, "files", FETCH)
    assert document.body == text
    assert document.content_hash == hashlib.sha256(text.encode()).hexdigest()


def test_html_meta_charset_is_honoured(tmp_path: Path) -> None:
    html = '<html><head><meta charset="windows-1251"></head><body>Привет, мир</body></html>'
    path = tmp_path / "page.html"
    path.write_bytes(html.encode("cp1251"))
    assert "Привет, мир" in load_path(path, "files", FETCH).body


def test_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(SourceError) as caught:
        load_path(path, "files", FETCH)
    assert str(caught.value) == f"files: {path}: binary file, skipped"


@pytest.mark.parametrize("content", [b"", b"  \n\t\n"])
def test_empty_file_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.md"
    path.write_bytes(content)
    with pytest.raises(SourceError) as caught:
        load_path(path, "files", FETCH)
    assert str(caught.value) == f"files: {path}: empty file"


def test_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # sparse: 100 MB on paper, nothing on disk
        handle.truncate(100 * 1024 * 1024)
    with pytest.raises(SourceError) as caught:
        load_path(path, "files", FETCH)
    assert str(caught.value) == f"files: {path}: too large (104857600 bytes > 10485760)"


def test_unreadable_file_names_the_problem(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"missing\.txt: cannot read"):
        load_path(tmp_path / "missing.txt", "files", FETCH)


def make_tree(root: Path) -> None:
    """A small folder of documents, some of which the default globs leave out."""
    for name in ["a.txt", "b.md", "sub/c.html", "sub/d.htm", "e.pdf", ".hidden.txt",
                 ".git/x.txt", "drafts/f.txt"]:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Text of {name}.")


def test_folder_files_honour_include_and_exclude(tmp_path: Path) -> None:
    make_tree(tmp_path)
    default = SourceConfig(name="f", kind="folder", path=tmp_path)
    found = [p.relative_to(tmp_path).as_posix()
             for p in folder_files(tmp_path, default.include, ("drafts/*",))]
    assert found == ["a.txt", "b.md", "sub/c.html", "sub/d.htm"]
    assert [p.name for p in folder_files(tmp_path, ("*.md",), ())] == ["b.md"]


def test_read_folder_reports_bad_files_and_keeps_the_rest(tmp_path: Path) -> None:
    make_tree(tmp_path)
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "blob.txt").write_bytes(b"\x00\x01\x02binary")
    source = SourceConfig(name="docs", kind="folder", path=tmp_path, section="Notes")
    read = read_folder(source, FETCH)
    assert [d.uid for d in read.documents] == [
        "a.txt", "b.md", "drafts/f.txt", "sub/c.html", "sub/d.htm"]
    assert {d.section for d in read.documents} == {"Notes"}
    assert read.failed == 2
    assert read.errors == [f"{tmp_path / 'blob.txt'}: binary file, skipped",
                           f"{tmp_path / 'empty.txt'}: empty file"]


def test_missing_folder_is_named(tmp_path: Path) -> None:
    source = SourceConfig(name="docs", kind="folder", path=tmp_path / "nowhere")
    read = read_folder(source, FETCH)
    assert read.documents == [] and read.errors == [f"folder not found: {tmp_path / 'nowhere'}"]


def test_load_url_gives_the_final_canonical_url(server: Server) -> None:
    server.routes["/go?utm_source=x"] = Reply(status=301, headers={"Location": "/story/"})
    server.routes["/story/"] = Reply(PAGE, headers={"Content-Type": "text/html; charset=utf-8"})
    document = load_url(server.url("/go?utm_source=x"), "web", FETCH)
    assert document.format == "html"
    assert document.url == document.uid == server.url("/story")
    assert "Words of a story." in document.body


def test_load_url_uses_the_declared_charset(server: Server) -> None:
    body = "<html><body><p>Café crème, déjà vu</p></body></html>".encode("latin-1")
    server.routes["/fr"] = Reply(body, headers={"Content-Type": "text/html; charset=iso-8859-1"})
    assert "Café crème, déjà vu" in load_url(server.url("/fr"), "web", FETCH).body


@pytest.mark.parametrize(("reply", "reason"), [
    (Reply("gone", status=404), "HTTP 404"),
    (Reply(b"%PDF-1.4", headers={"Content-Type": "application/pdf"}),
     "not a web page (application/pdf)"),
    (Reply("", headers={"Content-Type": "text/html"}), "empty page"),
])
def test_load_url_failures_name_the_page(server: Server, reply: Reply, reason: str) -> None:
    server.routes["/p"] = reply
    with pytest.raises(SourceError) as caught:
        load_url(server.url("/p"), "web", FETCH)
    assert str(caught.value) == f"web: {server.url('/p')}: {reason}"


def test_an_unknown_declared_charset_falls_back_to_detection(server: Server) -> None:
    body = "<html><body><p>Naïve café</p></body></html>".encode("cp1252")
    server.routes["/odd"] = Reply(body, headers={"Content-Type": "text/html; charset=bogus-8"})
    assert "Naïve café" in load_url(server.url("/odd"), "web", FETCH).body


def test_a_named_pipe_is_skipped_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(SourceError) as caught:
        load_path(fifo, "files", FETCH)
    assert str(caught.value) == f"files: {fifo}: not a regular file, skipped"
