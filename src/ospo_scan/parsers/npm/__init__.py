"""Parsers for JavaScript manifests and lockfiles (npm, Yarn, pnpm, Bun), one module per format."""
