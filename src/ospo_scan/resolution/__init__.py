"""Helpers of ospo_scan.resolve: projects and units, lock graphs, entries and their merge."""
