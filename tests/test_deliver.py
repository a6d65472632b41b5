"""SMTP delivery against a real aiosmtpd server on 127.0.0.1: recipients, retries, failures."""

from __future__ import annotations

import time
from email.message import EmailMessage
from pathlib import Path

import pytest

from digest.config import DeliveryConfig, SmtpConfig, parse_config
from digest.deliver.parallel import send_parallel
from digest.deliver.recipients import load_recipients, read_recipients_file
from digest.deliver.smtp import Mailer, Unreachable, recipient_token, send_all
from digest.deliver.tokens import verify
from digest.errors import DigestError
from tests.smtpserver import SmtpServer, free_port

SENDER = "roundup@example.org"


def message_for(recipient: str) -> EmailMessage:
    """A small message addressed to one recipient."""
    message = EmailMessage()
    message["From"] = SENDER
    message["To"] = recipient
    message["Subject"] = "The Weekly Round-up #1"
    message.set_content(f"Hello {recipient}")
    return message


def smtp_at(port: int, **extra: object) -> SmtpConfig:
    """SMTP settings for the loopback test server."""
    return SmtpConfig.model_validate({"host": "127.0.0.1", "port": port, "security": "none",
                                      "timeout": 5, **extra})


def send(server: SmtpServer, recipients: list[str], **options: object) -> tuple:
    """Send one message to each recipient and return the report and the recorded statuses."""
    events: list[tuple[str, str, str | None]] = []
    with Mailer(smtp_at(server.port), backoff=0.01, **options) as mailer:  # type: ignore[arg-type]
        report = send_all(mailer, SENDER, recipients, message_for,
                          lambda r, s, e: events.append((r, s, e)))
    return report, events


def test_every_recipient_gets_their_own_message_over_one_connection() -> None:
    readers = [f"reader{i}@example.org" for i in range(5)]
    with SmtpServer() as server:
        report, events = send(server, readers)
    assert report.sent == readers and not report.failed
    assert server.handler.recipients() == readers
    assert server.handler.connections == 1
    assert [m.message["To"] for m in server.handler.received] == readers
    assert events[:2] == [(readers[0], "sending", None), (readers[0], "sent", None)]


def test_a_permanent_failure_is_recorded_and_the_others_still_get_theirs() -> None:
    readers = ["a@example.org", "bad@example.org", "c@example.org"]
    with SmtpServer() as server:
        server.handler.fail("bad@example.org", 550)
        report, events = send(server, readers, retries=3)
    assert report.sent == ["a@example.org", "c@example.org"]
    assert report.failed["bad@example.org"].startswith("550")
    assert ("bad@example.org", "failed", report.failed["bad@example.org"]) in events
    assert server.handler.recipients() == ["a@example.org", "c@example.org"]


def test_a_transient_failure_is_retried_until_accepted() -> None:
    with SmtpServer() as server:
        server.handler.fail("slow@example.org", 451, times=2)
        report, _ = send(server, ["slow@example.org"], retries=3)
    assert report.sent == ["slow@example.org"]
    assert server.handler.recipients() == ["slow@example.org"]


def test_a_transient_failure_past_the_retries_fails_that_recipient_only() -> None:
    with SmtpServer() as server:
        server.handler.fail("full@example.org", 452)
        report, _ = send(server, ["full@example.org", "ok@example.org"], retries=2)
    assert report.failed["full@example.org"].startswith("452")
    assert report.sent == ["ok@example.org"]


def test_a_dropped_connection_is_reopened_and_the_message_sent_once() -> None:
    readers = ["a@example.org", "b@example.org", "c@example.org"]
    with SmtpServer() as server:
        server.handler.drop("b@example.org")
        report, _ = send(server, readers)
    assert report.sent == readers
    assert server.handler.recipients() == readers
    assert server.handler.connections == 2


def test_an_unreachable_server_stops_the_round_with_one_clear_error() -> None:
    events: list[tuple[str, str, str | None]] = []
    port = free_port()
    with Mailer(smtp_at(port), retries=1, backoff=0.01) as mailer, \
            pytest.raises(Unreachable, match=f"smtp 127.0.0.1:{port}: cannot connect"):
        send_all(mailer, SENDER, ["a@example.org", "b@example.org"], message_for,
                 lambda r, s, e: events.append((r, s, e)))
    assert [e[:2] for e in events] == [("a@example.org", "sending"), ("a@example.org", "failed")]


def test_the_rate_limit_spaces_messages_out() -> None:
    readers = [f"r{i}@example.org" for i in range(5)]
    with SmtpServer() as server:
        start = time.monotonic()
        send(server, readers, rate_limit=10)
        elapsed = time.monotonic() - start
    assert elapsed >= 0.4
    assert server.handler.recipients() == readers


def test_a_missing_password_variable_is_one_line_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DIGEST_TEST_SMTP_PASSWORD", raising=False)
    smtp = smtp_at(free_port(), username="digest", password_env="DIGEST_TEST_SMTP_PASSWORD")
    with Mailer(smtp) as mailer, pytest.raises(DigestError) as caught:
        mailer.send(message_for("a@example.org"), SENDER, "a@example.org")
    assert "DIGEST_TEST_SMTP_PASSWORD is not set" in caught.value.message
    assert "\n" not in caught.value.message


def test_a_password_in_the_config_is_refused_in_one_line() -> None:
    data = {"delivery": {"smtp": {"host": "mail.example.org", "password": "hunter2"}}}
    with pytest.raises(DigestError) as caught:
        parse_config(data, Path("config.yaml"))
    assert caught.value.message.startswith("config.yaml: delivery.smtp: a password does not belong")
    assert "hunter2" not in caught.value.message and "\n" not in caught.value.message


def test_recipients_come_from_the_config_and_a_file_once_each(tmp_path: Path) -> None:
    listing = tmp_path / "readers.txt"
    listing.write_text("# our readers\nann@example.org\n\nBob <bob@example.org>  # editor\n"
                       "ANN@example.org\n", encoding="utf-8")
    delivery = DeliveryConfig(recipients=("zoe@example.org",), recipients_file=listing)
    assert load_recipients(delivery) == ["zoe@example.org", "ann@example.org", "bob@example.org"]


def test_a_csv_recipients_file_is_read_by_its_email_column(tmp_path: Path) -> None:
    listing = tmp_path / "readers.csv"
    listing.write_text("name,Email\nAnn,ann@example.org\nBob,bob@example.org\n", encoding="utf-8")
    assert read_recipients_file(listing) == ["ann@example.org", "bob@example.org"]


def test_a_bad_address_names_the_file_and_line(tmp_path: Path) -> None:
    listing = tmp_path / "readers.txt"
    listing.write_text("ann@example.org\n# fine\nnot-an-address\n", encoding="utf-8")
    with pytest.raises(DigestError, match=rf"{listing}:3: not an email address: 'not-an-address'"):
        read_recipients_file(listing)
    csv_file = tmp_path / "readers.csv"
    csv_file.write_text("email\nann@example.org\nann@@example\n", encoding="utf-8")
    with pytest.raises(DigestError, match=rf"{csv_file}:3: not an email address"):
        read_recipients_file(csv_file)


def test_no_recipients_at_all_is_an_error_unless_readers_may_subscribe() -> None:
    with pytest.raises(DigestError, match="no recipients"):
        load_recipients(DeliveryConfig())
    assert load_recipients(DeliveryConfig(), required=False) == []


def test_tokens_differ_per_reader_and_depend_on_the_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DIGEST_TOKEN_SECRET", raising=False)
    plain = recipient_token("ann@example.org", "list")
    assert plain == recipient_token("Ann@Example.org", "list")
    assert plain != recipient_token("bob@example.org", "list")
    monkeypatch.setenv("DIGEST_TOKEN_SECRET", "s3cret")
    signed = recipient_token("ann@example.org", "list")
    assert signed != plain
    assert verify(signed, "unsubscribe", "s3cret") == "ann@example.org"
    assert verify(signed, "unsubscribe", "another secret") is None


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_the_password_comes_from_the_environment_and_a_wrong_one_is_one_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with SmtpServer(login=("digest", "s3cret")) as server:
        smtp = smtp_at(server.port, username="digest", password_env="DIGEST_TEST_SMTP_PASSWORD")
        monkeypatch.setenv("DIGEST_TEST_SMTP_PASSWORD", "s3cret")
        with Mailer(smtp) as mailer:
            assert mailer.send(message_for("a@example.org"), SENDER, "a@example.org") is None
        monkeypatch.setenv("DIGEST_TEST_SMTP_PASSWORD", "wrong")
        with Mailer(smtp) as mailer, pytest.raises(DigestError) as caught:
            mailer.send(message_for("b@example.org"), SENDER, "b@example.org")
    assert server.handler.recipients() == ["a@example.org"]
    assert caught.value.message.startswith(f"smtp 127.0.0.1:{server.port}: login refused: 535")
    assert "wrong" not in caught.value.message


def test_starttls_against_a_server_without_it_is_one_clear_error() -> None:
    with SmtpServer() as server, Mailer(smtp_at(server.port, security="starttls")) as mailer, \
            pytest.raises(DigestError, match="the server does not offer STARTTLS"):
        mailer.send(message_for("a@example.org"), SENDER, "a@example.org")
    assert server.handler.received == []


def test_parallel_connections_deliver_each_reader_exactly_once_in_strict_order() -> None:
    readers = [f"reader{i:02d}@example.org" for i in range(40)]
    events: list[tuple[str, str, str | None]] = []
    with SmtpServer(delay=0.01) as server:
        server.handler.fail("reader05@example.org", 550)
        server.handler.fail("reader11@example.org", 451, times=1)
        server.handler.drop("reader17@example.org")
        report = send_parallel(lambda: Mailer(smtp_at(server.port), backoff=0.01), 4, SENDER,
                               readers, message_for, lambda r, s, e: events.append((r, s, e)))
    delivered = server.handler.recipients()
    assert sorted(delivered) == sorted(set(readers) - {"reader05@example.org"})
    assert len(delivered) == len(set(delivered))  # nobody twice
    assert sorted(report.sent) == sorted(delivered)
    assert list(report.failed) == ["reader05@example.org"]
    # Up to four at once (a thread that starts late may find the queue empty), and one
    # reopened after the drop.
    assert 2 <= server.handler.connections <= 5
    for reader in readers:  # "sending" before the message, then one outcome
        statuses = [status for r, status, _ in events if r == reader]
        assert statuses == ["sending", "failed" if reader.startswith("reader05") else "sent"]


def test_parallel_connections_share_one_unreachable_error() -> None:
    port = free_port()
    events: list[tuple[str, str, str | None]] = []
    readers = [f"r{i}@example.org" for i in range(8)]
    with pytest.raises(Unreachable, match="cannot connect"):
        send_parallel(lambda: Mailer(smtp_at(port), retries=1, backoff=0.01), 3, SENDER,
                      readers, message_for, lambda r, s, e: events.append((r, s, e)))
    failed = [r for r, status, _ in events if status == "failed"]
    assert 1 <= len(failed) <= 3  # only the messages in flight, one per connection
    assert not [e for e in events if e[1] == "sent"]
