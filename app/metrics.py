"""Prometheus metrics (``GET /metrics``): what the service took in, how fast, and what it has still to send.

Counters and the latency histogram are moved where the work happens; the outbox gauges are read from the
database when scraped, so every process reports the same shared queue.
"""

from __future__ import annotations

from datetime import datetime

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import OutboundMessage

REGISTRY = CollectorRegistry(auto_describe=True)

INBOUND = Counter("kawal_inbound_messages", "Messages received, by channel and outcome", ["channel", "outcome"], registry=REGISTRY)
PIPELINE_SECONDS = Histogram(
    "kawal_pipeline_seconds", "Time to handle one inbound message (database work included)", ["channel"], registry=REGISTRY,
    buckets=(0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10),
)  # fmt: skip
SENDS = Counter("kawal_sends", "Send attempts to a provider, by channel and result", ["channel", "result"], registry=REGISTRY)
REMINDERS = Counter("kawal_reminders", "Reminders by what became of them (due, sent, late, dropped)", ["result"], registry=REGISTRY)
DIGESTS = Counter("kawal_digests_built", "Weekly digests built and stored", registry=REGISTRY)
OUTBOX_DEPTH = Gauge("kawal_outbox_depth", "Outbox rows not yet sent, by status", ["status"], registry=REGISTRY)
OUTBOX_OLDEST = Gauge("kawal_outbox_oldest_age_seconds", "Age of the oldest outbox row not yet sent", registry=REGISTRY)

WAITING = ("queued", "claimed", "sending")


def refresh_outbox(db: Session, now: datetime) -> None:
    rows = db.execute(
        select(OutboundMessage.status, func.count(), func.min(OutboundMessage.created_at))
        .where(OutboundMessage.status.in_(WAITING))
        .group_by(OutboundMessage.status)
    ).all()
    counts = {status: 0 for status in WAITING}
    oldest: datetime | None = None
    for status, count, first in rows:
        counts[status] = count
        if first is not None and (oldest is None or first < oldest):
            oldest = first
    for status, count in counts.items():
        OUTBOX_DEPTH.labels(status).set(count)
    OUTBOX_OLDEST.set(max(0.0, (now - oldest).total_seconds()) if oldest is not None else 0.0)


def exposition() -> tuple[bytes, str]:
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
