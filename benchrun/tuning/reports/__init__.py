"""Named reports of the tuning workload (tuning, rq1, rq2, search): plain SQL files that
`benchrun report NAME` finds here."""
