"""Values from outside are normalized at the edge, and one story never fails the issue."""

from __future__ import annotations

import dataclasses
import logging
import os
from pathlib import Path

import pytest

from digest import pipeline
from digest.config import FetchConfig, parse_config
from digest.errors import SourceError
from digest.extract.textdoc import front_matter
from digest.models import Document, Section
from digest.sources.clean import clean_line, clean_text, clean_url, shown_name
from digest.sources.folder import folder_files, load_path, read_folder
from digest.sources.reading import normalized, read_regular
from tests import issue_factory

FETCH = FetchConfig()


def test_control_characters_go_and_a_line_stays_one_line() -> None:
    assert clean_text("a\x00b\x1bc\td\ne\x7f\x85\ud800\ufffe") == "abc\td\ne"
    assert clean_line("  Big\x01\n  news\t ") == "Big news"
    assert clean_line(["en"]) is None and clean_line(7) == "7" and clean_line(True) is None
    assert clean_line("word " * 500, limit=20) == "word word word word…"


@pytest.mark.parametrize("url", ["http://[::1", "http://x:99999/", "javascript:alert(1)",
                                 "http://a b/", "http://x/" + "a" * 5000, ["http://x/"], ""])
def test_urls_that_do_not_parse_are_dropped(url: object) -> None:
    assert clean_url(url) is None


def test_a_document_of_wrong_types_is_made_safe() -> None:
    odd = Document(source="s", uid=7, body="Text\x00", url=["x"], title=["a"],  # type: ignore[arg-type]
                   authors=("Ann\x01", 3, ""), language=["en"], section="\x02")  # type: ignore[arg-type]
    safe = normalized(odd)
    assert (safe.uid, safe.body, safe.url, safe.title) == ("7", "Text", None, None)
    assert (safe.authors, safe.language, safe.section) == (("Ann", "3"), None, None)


def test_utf32_text_is_read() -> None:
    from digest.sources.reading import decode_text

    assert decode_text("Grüße aus Köln".encode("utf-32")) == "Grüße aus Köln"


def test_a_file_name_in_any_bytes_becomes_a_printable_identity(tmp_path: Path) -> None:
    name = os.path.join(os.fsencode(tmp_path), b"caf\xe9.txt")
    with open(name, "wb") as handle:
        handle.write(b"A story about a cafe.")
    document = load_path(Path(os.fsdecode(name)), "docs", FETCH, root=tmp_path)
    assert document.uid == "caf\\xe9.txt"
    document.uid.encode("utf-8")  # storable and printable
    assert shown_name("plain.txt") == "plain.txt"


@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
def test_only_regular_files_are_read(tmp_path: Path, special: str) -> None:
    path = Path(special)
    if special == "fifo":
        path = tmp_path / "pipe.txt"
        os.mkfifo(path)
    with pytest.raises(SourceError, match="not a regular file"):
        read_regular(path, "docs", 1000)


def test_symlinks_out_of_a_folder_are_skipped_unless_allowed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("secret", encoding="utf-8")
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "own.txt").write_text("own words", encoding="utf-8")
    (folder / "alias.txt").symlink_to(folder / "own.txt")
    (folder / "secret.txt").symlink_to(outside / "secret.txt")
    (folder / "sub").symlink_to(outside, target_is_directory=True)
    skipped: list[str] = []
    names = [p.name for p in folder_files(folder, ("*.txt",), (), skipped=skipped)]
    assert names == ["alias.txt", "own.txt"]
    assert skipped == ["secret.txt: a link to outside the folder, skipped (see follow_links)"]
    allowed = [p.name for p in folder_files(folder, ("*.txt",), (), follow_links=True)]
    assert allowed == ["alias.txt", "own.txt", "secret.txt", "secret.txt"]


def test_deep_folders_are_walked_whole(tmp_path: Path) -> None:
    folder = tmp_path / "deep"
    deep = str(folder)
    os.mkdir(deep)
    for _ in range(1100):  # pathlib and os.makedirs recurse once a level
        deep += "/d"
        os.mkdir(deep)
    Path(deep, "bottom.txt").write_text("A story at the bottom of the folders.", encoding="utf-8")
    source = parse_config({"sources": [{"name": "deep", "kind": "folder",
                                        "path": str(folder)}]}).sources[0]
    read = read_folder(source, FETCH)
    assert [d.uid.rsplit("/", 1)[-1] for d in read.documents] == ["bottom.txt"]
    os.system(f"rm -rf '{folder}'")  # shutil.rmtree recurses once a level


def test_front_matter_refuses_aliases_and_survives_deep_nesting() -> None:
    bomb = "---\na: &a [x, x]\nb: [*a, *a]\n---\nBody"
    assert front_matter(bomb) == ({}, bomb)
    deep = "---\nx: " + "[" * 20_000 + "]" * 20_000 + "\n---\nBody"
    assert front_matter(deep)[0] == {}
    assert front_matter("---\ntitle: Plain\n---\nBody") == ({"title": "Plain"}, "Body")


def test_long_articles_are_cut_at_a_sentence() -> None:
    article = issue_factory.article("Long", text="One sentence here. " * 10_000)
    cut = pipeline.capped(article, 1000)
    assert len(cut.text) <= 1000 and cut.text.endswith("here.")


def test_a_story_that_cannot_render_is_left_out_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    issue = issue_factory.seeds_issue()
    bad = issue.teasers[0]
    broken = dataclasses.replace(bad, article=dataclasses.replace(bad.article, title="Bad\x01"))
    sections = tuple(Section(s.name, tuple(broken if i is bad else i for i in s.items))
                     for s in issue.sections)
    config = parse_config({})
    with caplog.at_level(logging.WARNING):
        rendered = pipeline.render(config, dataclasses.replace(issue, sections=sections))
    assert "Bad" not in rendered.html
    assert "long range missiles" in rendered.html  # the lead stays
    assert any("cannot be rendered, left out" in r.getMessage() for r in caplog.records)
