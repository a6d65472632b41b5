"""Reader tokens: what a link in a message may do, and for whom, checked without the database."""

from __future__ import annotations

import time

from digest.deliver.tokens import CONFIRM_MAX_AGE, issued_at, sign, verify

SECRET = "a long random secret"


def test_a_token_names_its_reader_and_works_only_with_the_secret() -> None:
    token = sign("Ann@Example.org", "unsubscribe", SECRET)
    assert verify(token, "unsubscribe", SECRET) == "ann@example.org"
    assert verify(token, "unsubscribe", "another secret") is None


def test_a_token_does_only_what_it_was_made_for() -> None:
    assert verify(sign("ann@example.org", "unsubscribe", SECRET), "confirm", SECRET) is None
    assert verify(sign("ann@example.org", "confirm", SECRET), "unsubscribe", SECRET) is None


def test_forged_and_garbled_tokens_name_nobody() -> None:
    token = sign("ann@example.org", "unsubscribe", SECRET)
    payload, mac = token.split(".")
    bob = sign("bob@example.org", "unsubscribe", SECRET).split(".")[0]
    for bad in (f"{bob}.{mac}", token[:-1], token + "A", "", ".", "no-dot", "x" * 5000,
                f"{payload}.{mac}.extra", "é." + mac, f"!!!.{mac}"):
        assert verify(bad, "unsubscribe", SECRET) is None, bad


def test_confirmation_links_expire() -> None:
    made = int(time.time()) - CONFIRM_MAX_AGE - 10
    token = sign("ann@example.org", "confirm", SECRET, issued=made)
    assert issued_at(token) == made
    assert verify(token, "confirm", SECRET) is None
    assert verify(token, "confirm", SECRET, now=made + 60) == "ann@example.org"
