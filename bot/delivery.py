"""How a channel sender reports a failed send, so the outbox worker knows what to do next.

    DeliveryFailure
     ├── TransientFailure   network errors, 5xx, 429: try again later (``retry_after`` when the provider says)
     └── PermanentFailure   the provider refused for good; ``unreachable`` when the person blocked us
"""

from __future__ import annotations


class DeliveryFailure(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TransientFailure(DeliveryFailure):
    def __init__(self, reason: str, *, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class PermanentFailure(DeliveryFailure):
    def __init__(self, reason: str, *, unreachable: bool = False) -> None:
        super().__init__(reason)
        self.unreachable = unreachable
