"""Reports: pass@k, named SQL reports and their rendering. They only read the results
file (benchrun.storage)."""
from benchrun.reports.passk import mean_pass_at_k, pass_at_k

__all__ = ["mean_pass_at_k", "pass_at_k"]
