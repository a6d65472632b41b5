"""Delivery: the archive of issues, sending by SMTP, and the snapshot of an issue being sent.

Owns writing an issue's folder and the index page (`archive`), the recipients (`recipients`),
their tokens and the SMTP client with retries and rate limits (`smtp`), several connections
sending at once from one queue (`parallel`), the one gate every message's final dot passes
(`gate`), the signed reader tokens that unsubscribe
and confirmation links carry (`tokens`), and the snapshot that lets an
interrupted run send exactly the same issue (`snapshot`).

Interface, for the stages above:

- `archive.write_issue`, `archive.write_index`, `archive.entries`
- `recipients.load_recipients`, `recipients.check_address`
- `smtp.Mailer`, `smtp.Pacer`, `smtp.send_all`, `smtp.recipient_token`, `smtp.smtp_password`,
  `smtp.envelope_sender`
- `parallel.send_parallel`
- `tokens.sign`, `tokens.verify`, `tokens.issued_at`, `tokens.token_secret`,
  `tokens.check_token_secret`
- `snapshot.save`, `snapshot.load`, `snapshot.snapshot_path`
"""
