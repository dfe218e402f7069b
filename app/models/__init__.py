"""All models, imported here so Alembic's autogenerate and ``alembic check`` see every table."""

from app.models.areas import Area
from app.models.audit import AuditEntry
from app.models.base import Base
from app.models.cases import Case, CaseEvent
from app.models.conversations import ConversationSession
from app.models.delivery import DeliverySlot
from app.models.digests import Digest
from app.models.ewarong import EwarongVisit
from app.models.households import Household
from app.models.invitations import Invitation
from app.models.messages import InboundMessage, OutboundMessage
from app.models.people import ChannelIdentity, Person, RoleAssignment
from app.models.reminders import Reminder
from app.models.schedules import EwarongAgent, Meeting, MeetingMember, P2k2Group
from app.models.web import WebSession, WebSignInLink

__all__ = [
    "Area",
    "AuditEntry",
    "Base",
    "Case",
    "CaseEvent",
    "ChannelIdentity",
    "ConversationSession",
    "DeliverySlot",
    "Digest",
    "EwarongAgent",
    "EwarongVisit",
    "Household",
    "Invitation",
    "InboundMessage",
    "Meeting",
    "MeetingMember",
    "OutboundMessage",
    "P2k2Group",
    "Person",
    "Reminder",
    "RoleAssignment",
    "WebSession",
    "WebSignInLink",
]
