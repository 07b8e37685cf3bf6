"""`python -m benchrun.cli`: the same as the `benchrun` command."""
from benchrun.cli import main

main()
