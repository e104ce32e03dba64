"""Parsers for Go modules: go.mod, go.sum, vendor/modules.txt, go.work."""
