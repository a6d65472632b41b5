"""The email message: MIME structure, list headers, encodings, per-reader unsubscribe."""

from __future__ import annotations

import email
import email.policy
import re
from datetime import UTC, datetime
from email.message import EmailMessage

import lxml.html
import pytest
from issue_factory import big_issue, newsletter, seeds_issue

from digest.errors import DigestError
from digest.render.message import build_message
from digest.render.templates import render_issue

WHEN = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)


def _message(issue=None, token="tok/1", **settings) -> EmailMessage:  # type: ignore[no-untyped-def]
    issue = issue or seeds_issue()
    config = newsletter(**settings)
    rendered = render_issue(issue, config, None, token=token)
    built = build_message(rendered, issue, config, "Reader <reader@example.com>", token=token,
                          date=WHEN)
    return email.message_from_bytes(bytes(built), policy=email.policy.default)  # type: ignore[return-value]


@pytest.fixture(scope="module", params=["seeds", "thirty"])
def parsed(request: pytest.FixtureRequest) -> EmailMessage:
    """The sample and the 30-story message, serialized and parsed back."""
    return _message(seeds_issue() if request.param == "seeds" else big_issue(30))


def test_2_multipart_alternative_with_text_first(parsed: EmailMessage) -> None:
    assert parsed.get_content_type() == "multipart/alternative"
    parts = [p.get_content_type() for p in parsed.iter_parts()]
    assert parts == ["text/plain", "text/html"]


def test_1_and_25_html_part_is_quoted_printable_and_under_the_clip(parsed: EmailMessage) -> None:
    html_part = parsed.get_body(("html",))
    assert html_part is not None
    assert html_part["Content-Transfer-Encoding"] in {"quoted-printable", "base64"}
    assert len(html_part.as_bytes()) < 102 * 1024
    assert max(len(line) for line in bytes(parsed).splitlines()) <= 998


def test_3_the_text_part_carries_every_title_and_url(parsed: EmailMessage) -> None:
    html = parsed.get_body(("html",)).get_content()
    text = parsed.get_body(("plain",)).get_content()
    tree = lxml.html.document_fromstring(html)
    for heading in tree.iter("h2", "h3"):
        if heading.find("a") is not None:
            assert " ".join(heading.text_content().split()) in " ".join(text.split())
    for link in tree.iter("a"):
        assert link.get("href") in text, link.get("href")
    assert "https://example.org/unsubscribe?token=tok%2F1" in text


def test_4_one_click_unsubscribe_headers(parsed: EmailMessage) -> None:
    uris = re.findall(r"<([^>]+)>", parsed["List-Unsubscribe"])
    assert uris == ["https://example.org/unsubscribe?token=tok%2F1",
                    "mailto:unsubscribe@example.org?subject=unsubscribe"]
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_addressing_headers(parsed: EmailMessage) -> None:
    assert parsed["Subject"].startswith("The Weekly Round-up #")
    assert parsed["From"] == "The Weekly Round-up <roundup@example.org>"
    assert parsed["To"] == "Reader <reader@example.com>"
    assert parsed["Reply-To"] == "editors@example.org"
    assert parsed["Date"] == "Sun, 22 Nov 2026 08:00:00 +0000"
    assert re.fullmatch(r"<[^@<>]+@example\.org>", parsed["Message-ID"])
    assert parsed["List-Id"] == '"The Weekly Round-up" <the-weekly-round-up.example.org>'


def test_without_an_unsubscribe_url_there_are_no_one_click_headers() -> None:
    parsed = _message(unsubscribe_url=None)
    assert parsed["List-Unsubscribe"] == "<mailto:unsubscribe@example.org?subject=unsubscribe>"
    assert parsed["List-Unsubscribe-Post"] is None
    assert "mailto:unsubscribe@example.org" in parsed.get_body(("plain",)).get_content()
    bare = _message(unsubscribe_url=None, unsubscribe_mailto=None)
    assert bare["List-Unsubscribe"] is None


def test_each_reader_gets_their_own_token_everywhere() -> None:
    first, second = _message(token="alice"), _message(token="bob")
    assert "token=alice" in first["List-Unsubscribe"]
    assert "token=bob" in second.get_body(("html",)).get_content()
    assert "token=alice" not in second.as_string()


def test_a_from_without_an_address_is_a_clear_error() -> None:
    config = newsletter(**{"from": "Just a name"})
    issue = seeds_issue()
    with pytest.raises(DigestError, match=r"newsletter\.from"):
        build_message(render_issue(issue, config, None), issue, config, None)


def _masked(data: bytes) -> bytes:
    """A message's bytes with its send time and MIME boundary masked."""
    boundary = re.search(rb'boundary="([^"]+)"', data)
    assert boundary is not None
    data = data.replace(boundary.group(1), b"BOUNDARY")
    return re.sub(rb"\r\nDate: [^\r]*", b"\r\nDate: -", data)


@pytest.mark.parametrize("secret", [None, "s3cret"])
def test_a_readers_copy_from_the_template_is_the_message_built_for_them(
    monkeypatch: pytest.MonkeyPatch, secret: str | None
) -> None:
    from digest.config import Config
    from digest.render.message import as_sent
    from digest.run.publish import personal_copies, personal_messages

    if secret:  # signed tokens: the address and an HMAC, of every length
        monkeypatch.setenv("DIGEST_TOKEN_SECRET", secret)
    config = Config(newsletter=newsletter(
        unsubscribe_url="https://example.org/unsubscribe?token={token}"))
    issue = big_issue(30)
    built, copied = personal_messages(config, issue), personal_copies(config, issue)
    for reader in ("ann@example.org", "a.very.long.address.of.a.reader@news.example.org"):
        got = copied(reader)
        assert isinstance(got, bytes)
        assert _masked(got) == _masked(as_sent(built(reader)))
    assert copied("ann@example.org") != copied("bob@example.org")


def test_token_lines_wrap_exactly_as_quoted_printable_does() -> None:
    import random
    from email import policy, quoprimime

    from digest.render.message import _QUOTE, Template

    template = Template.__new__(Template)
    template._policy = policy.default.clone(linesep="\r\n")
    rng = random.Random(7)
    for alphabet in ("ab =\t.é€\u00a0xyz", "token-ab.cd_EF ", "a=\t "):
        for _ in range(3000):
            line = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 240)))
            raw = line.encode().decode("latin-1")
            want = quoprimime.body_encode(raw + "\n", 78)[:-1].replace("\n", "\r\n")
            assert template._wrap(raw.translate(_QUOTE)) == want.encode(), line
