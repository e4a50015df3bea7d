"""Prometheus metrics: commands, upstream requests, cache, digests, Slack API errors,
cloud credential refreshes.

One registry per process (not the library's global one), so tests and several apps in
one process never collide.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, Metric
from prometheus_client.registry import Collector

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class _CacheCollector(Collector):
    """Reads hits and misses from the cache when scraped (the cache stays metrics-free)."""

    def __init__(self) -> None:
        self.sources: list[Callable[[], tuple[int, int]]] = []

    def collect(self) -> Iterator[Metric]:
        hits = misses = 0
        for source in self.sources:
            more_hits, more_misses = source()
            hits += more_hits
            misses += more_misses
        yield CounterMetricFamily(
            "backupbot_cache_hits", "Reads answered from the cache", value=hits
        )
        yield CounterMetricFamily(
            "backupbot_cache_misses", "Reads that went upstream", value=misses
        )


class Metrics:
    """Everything backupbot counts."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.commands = Counter(
            "backupbot_commands", "Commands, clicks and mentions by kind and outcome",
            ["kind", "outcome"], registry=self.registry,
        )  # fmt: skip
        self.upstream_requests = Counter(
            "backupbot_upstream_requests", "TaurusDB API requests by HTTP status",
            ["status"], registry=self.registry,
        )  # fmt: skip
        self.upstream_latency = Histogram(
            "backupbot_upstream_request_seconds", "TaurusDB API request latency by HTTP status",
            ["status"], registry=self.registry,
            buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
        )  # fmt: skip
        self.digests = Counter(
            "backupbot_digests", "Digests by outcome (posted, missed, failed)",
            ["outcome"], registry=self.registry,
        )  # fmt: skip
        self.alerts = Counter(
            "backupbot_alerts",
            "Watch messages posted: incidents' first messages and thread replies",
            registry=self.registry,
        )
        self.slack_events = Counter(
            "backupbot_slack_events", "Slack events by outcome (new, or a duplicate ignored)",
            ["outcome"], registry=self.registry,
        )  # fmt: skip
        self.slack_errors = Counter(
            "backupbot_slack_api_errors", "Slack Web API errors by method and error",
            ["method", "error"], registry=self.registry,
        )  # fmt: skip
        self.credential_refreshes = Counter(
            "backupbot_credential_refreshes",
            "Cloud credential fetches by source and outcome (ok, failed)",
            ["source", "outcome"], registry=self.registry,
        )  # fmt: skip
        self._cache = _CacheCollector()
        self.registry.register(self._cache)

    def watch_cache(self, source: Callable[[], tuple[int, int]]) -> None:
        """Report a cache's (hits, misses)."""
        self._cache.sources.append(source)

    def upstream(self, status: int | None, seconds: float) -> None:
        """One upstream request: its HTTP status (None: no response) and duration."""
        label = "error" if status is None else str(status)
        self.upstream_requests.labels(label).inc()
        self.upstream_latency.labels(label).observe(seconds)

    def credential_refresh(self, kind: str, ok: bool) -> None:
        """One fetch of a profile's credentials from a source of `kind`, and its outcome."""
        self.credential_refreshes.labels(kind, "ok" if ok else "failed").inc()

    def render(self) -> bytes:
        """The Prometheus text exposition of everything."""
        return generate_latest(self.registry)
