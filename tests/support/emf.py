"""CloudWatch's Embedded Metric Format, checked by the rules of its specification.

https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
The rules are written out here rather than copied: a root object with an `_aws` member
holding an integer Timestamp (epoch milliseconds) and a list of metric directives; each
directive names a Namespace (1 to 255 characters), its Dimensions (a list of dimension sets,
each a list of at most 30 names of root members whose values are strings) and its Metrics (at
most 100, each naming a root member that is a number or a list of at most 100 numbers, with a
CloudWatch unit).
"""
from __future__ import annotations

import numbers
from typing import Any

UNITS = {"Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes",
         "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits",
         "Percent", "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second",
         "Gigabytes/Second", "Terabytes/Second", "Bits/Second", "Kilobits/Second",
         "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None"}


def _number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def problems(document: Any) -> list[str]:
    """What breaks the specification; empty when the document is valid."""
    if not isinstance(document, dict):
        return ["the root is not an object"]
    meta = document.get("_aws")
    if not isinstance(meta, dict):
        return ["no _aws object"]
    found = []
    if not isinstance(meta.get("Timestamp"), int) or isinstance(meta.get("Timestamp"), bool):
        found.append("_aws.Timestamp is not an integer")
    directives = meta.get("CloudWatchMetrics")
    if not isinstance(directives, list) or not directives:
        return found + ["_aws.CloudWatchMetrics is not a non-empty list"]
    for directive in directives:
        namespace = directive.get("Namespace")
        if not isinstance(namespace, str) or not 1 <= len(namespace) <= 255:
            found.append(f"Namespace {namespace!r}")
        dimension_sets = directive.get("Dimensions")
        if not isinstance(dimension_sets, list) or not dimension_sets:
            found.append("Dimensions is not a non-empty list")
            dimension_sets = []
        for dimension_set in dimension_sets:
            if not isinstance(dimension_set, list) or len(dimension_set) > 30:
                found.append(f"dimension set {dimension_set!r}")
                continue
            for name in dimension_set:
                if not isinstance(document.get(name), str):
                    found.append(f"dimension {name!r} is not a string member of the root")
        metrics = directive.get("Metrics")
        if not isinstance(metrics, list) or len(metrics) > 100:
            found.append("Metrics is not a list of at most 100")
            metrics = []
        for metric in metrics:
            name, unit = metric.get("Name"), metric.get("Unit", "None")
            value = document.get(name)
            listed = isinstance(value, list) and len(value) <= 100 and all(map(_number, value))
            if not (_number(value) or listed):
                found.append(f"metric {name!r} is not a number member of the root")
            if unit not in UNITS:
                found.append(f"unit {unit!r} of {name!r}")
    return found
