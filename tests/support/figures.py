"""Figures a test measured (counts, latencies), printed in pytest's terminal summary.

Printed, never asserted on: timings belong in reports, not in pass/fail.
"""
from __future__ import annotations

import statistics

PLUGIN = "measured-figures"


class _Figures:
    def __init__(self) -> None:
        self.lines: list[tuple[str, str]] = []

    def pytest_terminal_summary(self, terminalreporter) -> None:
        sections: dict[str, list[str]] = {}
        for section, line in self.lines:
            sections.setdefault(section, []).append(line)
        for section, lines in sections.items():
            terminalreporter.write_sep("-", section)
            for line in lines:
                terminalreporter.write_line(line)


def report(config, section: str, line: str) -> None:
    """Adds ``line`` under ``section`` at the end of the run (and prints it now, for -s)."""
    plugin = config.pluginmanager.get_plugin(PLUGIN)
    if plugin is None:
        plugin = _Figures()
        config.pluginmanager.register(plugin, PLUGIN)
    plugin.lines.append((section, line))
    print(f"\n{section}: {line}")


def percentiles_ms(seconds: list[float]) -> str:
    """"p50 X ms, p99 Y ms" of latencies given in seconds."""
    if len(seconds) < 2:
        return "p50 -, p99 -"
    cuts = statistics.quantiles(seconds, n=100, method="inclusive")
    return f"p50 {cuts[49] * 1000:.1f} ms, p99 {cuts[98] * 1000:.1f} ms"
