"""The pure conversation engine: no database, network or clock inside.

The shell calls ``step(session, inbound, context)`` and persists what comes back.
"""

from conversations.areas import Area, Gazetteer, SearchResult
from conversations.effects import DeclineConsent, Effect, GiveConsent, OptIn, OptOut, SetArea, SetLanguage
from conversations.engine import apply_to_person, step
from conversations.types import (
    Context,
    Inbound,
    InboundKind,
    MediaRef,
    Option,
    PersonView,
    Reply,
    RoleView,
    Session,
    Step,
)

__all__ = [
    "Area",
    "Context",
    "DeclineConsent",
    "Effect",
    "Gazetteer",
    "GiveConsent",
    "Inbound",
    "InboundKind",
    "MediaRef",
    "OptIn",
    "OptOut",
    "Option",
    "PersonView",
    "Reply",
    "RoleView",
    "SearchResult",
    "Session",
    "SetArea",
    "SetLanguage",
    "Step",
    "apply_to_person",
    "step",
]
