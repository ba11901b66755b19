"""Prometheus metrics of the service, in one dedicated registry.

The objects are module-level so every module (web, jobs, review, gitlab, llm) counts into the same
registry without passing it around; the registry is dedicated (not prometheus_client's global one)
so tests and ``GET /metrics`` see only synbot's series. Label values must stay from small fixed sets
(never MR iids, shas or user names) to keep the series count bounded.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

REGISTRY = CollectorRegistry(auto_describe=True)

CONTENT_TYPE = CONTENT_TYPE_LATEST

WEBHOOK_EVENTS = Counter(
    "synbot_webhook_events",
    "Webhook deliveries by event kind and outcome "
    "(queued, duplicate, ignored, not_allowed, unauthorized, malformed, too_large, unavailable).",
    ["kind", "outcome"],
    registry=REGISTRY,
)
WEBHOOK_ACK_SECONDS = Histogram(
    "synbot_webhook_ack_seconds",
    "Time from receiving a webhook request to answering it.",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0),
    registry=REGISTRY,
)
JOBS = Counter(
    "synbot_jobs",
    "Review jobs by state (queued, started, succeeded, failed, retried, superseded, busy, reconciled).",
    ["state"],
    registry=REGISTRY,
)
JOBS_RUNNING = Gauge(
    "synbot_jobs_running",
    "Review jobs running in this process.",
    registry=REGISTRY,
)
REVIEW_SECONDS = Histogram(
    "synbot_review_duration_seconds",
    "Wall time of one merge-request review, from job start to summary note.",
    buckets=(0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0),
    registry=REGISTRY,
)
FINDINGS = Counter(
    "synbot_findings",
    "Findings reported by reviews, by check code and severity.",
    ["code", "severity"],
    registry=REGISTRY,
)
LLM_CALLS = Counter(
    "synbot_llm_calls",
    "LLM requests by provider and outcome (ok, error, invalid, timeout).",
    ["provider", "outcome"],
    registry=REGISTRY,
)
LLM_TOKENS = Counter(
    "synbot_llm_tokens",
    "LLM tokens by provider and direction (prompt, completion).",
    ["provider", "direction"],
    registry=REGISTRY,
)
CACHE_LOOKUPS = Counter(
    "synbot_cache_lookups",
    "Cache lookups by cache name (e.g. llm) and result (hit, miss).",
    ["cache", "result"],
    registry=REGISTRY,
)
GITLAB_API_ERRORS = Counter(
    "synbot_gitlab_api_errors",
    "GitLab API errors by kind (unavailable, rate_limited, position_rejected, conflict, not_found, other).",
    ["kind"],
    registry=REGISTRY,
)
SUGGESTIONS = Counter(
    "synbot_suggestions",
    "Suggestions by outcome (posted, applied, rejected); acceptance rate = applied / (applied + rejected).",
    ["outcome"],
    registry=REGISTRY,
)


def render() -> bytes:
    """The registry in Prometheus text format, for ``GET /metrics``."""
    return generate_latest(REGISTRY)
