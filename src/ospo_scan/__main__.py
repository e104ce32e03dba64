"""`python -m ospo_scan`: the same entry point as the console script."""

from ospo_scan.cli import main

main()
