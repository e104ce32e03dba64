"""The organization's settings file: `.ospo-scan.toml`, or `[tool.ospo-scan]` in pyproject.toml.

loading.py finds and reads the file; one module per section turns its table into the
settings an analysis takes, with an error naming the file, the key path and the
problem for anything it does not understand (never silently ignored).
"""

from ospo_scan.config.loading import ConfigError, SettingsFile, find_settings_file, load_settings_file

__all__ = ["ConfigError", "SettingsFile", "find_settings_file", "load_settings_file"]
