"""GitPython -> DVC (data versions): same score; both data versions retrievable via DVC."""
import dvc.api

from benchcheck import (
    assert_dvc_tracked, assert_dvc_up_to_date, assert_never_in_git, assert_same_score,
    dvc_repo, fail, git_files, require_success,
)

require_success()
assert_same_score("accuracy", rel=1e-3)
assert_same_score("rows")

repo = dvc_repo()
assert_dvc_tracked(repo, "data/samples.csv")
assert_dvc_up_to_date(repo)

for tag, rows in (("data-v1", 500), ("data-v2", 1000)):
    if "data/samples.csv.dvc" not in git_files(tag):
        fail(f"the commit tagged {tag} lacks data/samples.csv.dvc")
    try:
        text = dvc.api.read("data/samples.csv", rev=tag)
    except Exception as error:  # DVC raises several kinds when a version is not in its cache
        fail(f"DVC cannot give back data/samples.csv at {tag}: {type(error).__name__}: {error}")
    found = len(text.strip().splitlines()) - 1
    if found != rows:
        fail(f"data/samples.csv at {tag} has {found} rows through DVC, expected {rows}")

with open("data/samples.csv") as handle:
    if handle.read() != dvc.api.read("data/samples.csv", rev="data-v2"):
        fail("the workspace data/samples.csv is not the version tagged data-v2")
assert_never_in_git("data/samples.csv")
