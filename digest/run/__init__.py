"""Running issues: the `run` job that builds, archives, sends and records, and its schedule.

Owns the order of side effects (build in memory → archive → send → only then mark documents
taken), resuming an interrupted run from its snapshot, the lock that keeps one run at a time
(`lock`), publishing to the archive and to each reader (`publish`), which documents an issue
takes once delivered (`taken`), issues held for their editors (`review`: the preview, the
recorded edits, approval and the deadline), and the cron loop that starts runs (`schedule`,
above the rest: it imports the job, never the other way).

Interface, for the CLI:

- `job.run_issue`, `job.RunResult`
- `publish.archive_issue`, `publish.personal_messages`, `publish.personal_copies`
- `review.review_edits`, `review.record`, `review.approve`, `review.review_json`,
  `review.status_line`, `review.load_held`, `review.edited_issue`
- `schedule.serve`
"""
