"""The flows, by name. A new flow is a module here and one line in ``FLOWS``."""

from __future__ import annotations

from conversations.flow import Flow
from conversations.flows import (
    area,
    attendance,
    cases,
    ewarong_visit,
    group_members,
    invite,
    language,
    menu,
    my_meetings,
    new_case,
    onboarding,
    plan_meeting,
    report,
    schedule,
    status,
)  # fmt: skip

FLOWS: dict[str, Flow] = {
    flow.name: flow
    for flow in (
        onboarding.FLOW, area.FLOW, language.FLOW, menu.FLOW, report.FLOW, status.FLOW, cases.FLOW, new_case.FLOW,
        invite.FLOW, schedule.FLOW, plan_meeting.FLOW, my_meetings.FLOW, attendance.FLOW, ewarong_visit.FLOW,
        group_members.FLOW,
    )
}  # fmt: skip
