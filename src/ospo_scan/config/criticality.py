"""`[criticality]`: weights and thresholds of the criticality signals.

    [criticality]
    top = 10                      # entries the terminal and markdown reports show
    [criticality.weights]         # 0 switches a signal off
    dependents = 3
    [criticality.thresholds]      # past this value a signal adds nothing
    runtime-projects = 20

Signals not named keep their defaults (analysis/criticality.py, README).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from ospo_scan.analysis.criticality import DEFAULT_SIGNALS, DEFAULT_TOP, CriticalitySettings, Signal, SignalSetting
from ospo_scan.config.loading import SettingsFile, type_name

_KEYS = ("top", "weights", "thresholds")
_SIGNAL_NAMES = ", ".join(s.value for s in Signal)


def parse_criticality(settings: SettingsFile, table: Mapping[str, Any]) -> CriticalitySettings:
    """The criticality settings a `[criticality]` table states, on top of the defaults."""
    for key in table:
        if key not in _KEYS:
            raise settings.error(f"criticality.{key}", f"unknown key (known: {', '.join(_KEYS)})")
    weights = _numbers(settings, table, "weights", allow_zero=True)
    thresholds = _numbers(settings, table, "thresholds", allow_zero=False)
    signals = {
        signal: SignalSetting(
            weight=weights.get(signal, default.weight),
            threshold=thresholds.get(signal, default.threshold),
        )
        for signal, default in DEFAULT_SIGNALS.items()
    }
    top = table.get("top", DEFAULT_TOP)
    if isinstance(top, bool) or not isinstance(top, int) or top < 0:
        raise settings.error("criticality.top", f"must be a whole number >= 0, not {_shown(top)}")
    return CriticalitySettings(signals=signals, top=top, source=str(settings.path))


def _numbers(settings: SettingsFile, table: Mapping[str, Any], name: str, *, allow_zero: bool) -> dict[Signal, float]:
    values = table.get(name, {})
    if not isinstance(values, dict):
        raise settings.error(f"criticality.{name}", f"must be a table of signal = number, not {type_name(values)}")
    found: dict[Signal, float] = {}
    for key, value in values.items():
        try:
            signal = Signal(key)
        except ValueError:
            raise settings.error(f"criticality.{name}.{key}", f"unknown signal (known: {_SIGNAL_NAMES})") from None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 or (value == 0 and not allow_zero) or not math.isfinite(value):
            bound = ">= 0" if allow_zero else "> 0"
            raise settings.error(f"criticality.{name}.{key}", f"must be a number {bound}, not {_shown(value)}")
        found[signal] = float(value)
    return found


def _shown(value: object) -> str:
    return f"{value!r} ({type_name(value)})"
