"""Parsers for Python manifests and lockfiles, one module per format."""
