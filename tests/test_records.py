"""The engine's contact records are written in the order `ContactRecord` names and read back
by those names (`ContactRecords`): a field written out of place fails here."""

from __future__ import annotations

import simpy
from conftest import live, scenario

from omnistaff.sim.engine import Model
from omnistaff.sim.records import ABANDONED, ANSWERED, ContactRecord, ContactRecords
from omnistaff.sim.state import Agent, Contact


def two_by_two() -> Model:
    """Two channels and two groups, so channel and group indices are told apart."""
    channels = {"phone": live(), "chat": live(after_contact_work=30.0)}
    groups = {"first": {"skills": ["phone"]}, "second": {"skills": ["chat", "phone"]}}
    staffing = {"per_interval": {"first": [1] * 48, "second": [1] * 48}}
    return Model(scenario(channels, groups, staffing), simpy.Environment())


def read(model: Model) -> list[ContactRecord]:
    records = ContactRecords.from_records(model.record_array(), 2, 2)
    rows = zip(records.channel, records.arrival, records.outcome, records.left_queue,
               records.group, records.priority, records.work, strict=True)
    return [ContactRecord._make(row) for row in rows]


def test_a_contact_leaving_unanswered_is_read_back_field_by_field() -> None:
    model = two_by_two()
    chat = model.channels[1]
    model.leave(Contact(chat, 5.0, 100.0, 60.0, 3, -1), ABANDONED, 65.0)
    assert read(model) == [ContactRecord(channel=1, arrival=5.0, outcome=ABANDONED,
                                         left_queue=65.0, group=-1, priority=3, work=0.0)]


def test_an_answered_contact_is_read_back_field_by_field() -> None:
    model = two_by_two()
    chat, second = model.channels[1], model.groups[1]
    contact = Contact(chat, 2.0, 100.0, 60.0, 7, -1)
    model.start(Agent(second), contact, limit=1, proficiency=0.5, now=9.0)
    assert read(model) == [ContactRecord(channel=1, arrival=2.0, outcome=ANSWERED,
                                         left_queue=9.0, group=1, priority=7,
                                         work=100.0 / 0.5 + 30.0)]
    assert ContactRecords.from_records(model.record_array(), 2, 2).work_seconds[1, 1] == 230.0
