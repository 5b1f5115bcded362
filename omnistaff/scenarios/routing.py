"""Routing policies: who takes an arriving contact, what a free agent takes next, and the
contacts that come back (callbacks, redials).

Every policy is off by default, and a scenario that sets none runs exactly the engine's
standing rule (most preferred skill, then fewest held, then longest idle; a free agent takes
live before deferred, then priority, then the oldest). `docs/routing.md` explains each policy
with the real routing systems it stands for.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from omnistaff.scenarios.base import Frozen
from omnistaff.scenarios.distributions import Distribution
from omnistaff.scenarios.limits import MAX_LIST, MAX_NAME
from omnistaff.scenarios.units import Seconds


class Reservation(Frozen):
    """A group keeps some of its agents idle for one channel (trunk reservation)."""

    group: str = Field(max_length=MAX_NAME, description="Name of the agent group.")
    agents: int | None = Field(
        default=None, ge=1, le=1000, description="Agents the group keeps idle for this "
        "channel: its agents take other channels' contacts only while more than this many "
        "of them hold nothing (trunk reservation; ContactCenters' reserved-agents router; an "
        "Avaya vector's `check skill ... if available-agents > N`).")
    share: float | None = Field(
        default=None, gt=0, lt=1, description="Instead of `agents`: the share of the group's "
        "staffed agents kept idle (rounded up).")

    @model_validator(mode="after")
    def _one_size(self) -> Reservation:
        if (self.agents is None) == (self.share is None):
            raise ValueError("give either agents (a number kept idle) or share (of those "
                             "staffed), not both and not neither")
        return self


class ChannelRouting(Frozen):
    """How one channel's contacts reach the groups that serve it."""

    groups: tuple[str, ...] = Field(
        default=(), max_length=MAX_LIST, description="Group order: the groups an arriving "
        "contact tries, in this order (within a group: fewest held, then longest idle). It "
        "replaces the groups' own skill order for this channel's arrivals only; skilled "
        "groups not listed come after, in their skill order. Empty: by skill order (the "
        "standing rule). The order of `queue-to skill` steps in an Avaya vector; "
        "ContactCenters' agents' preference router.")
    overflow_after: Distribution | None = Field(
        default=None, description="Overflow after a delay: only the first `first_groups` of "
        "`groups` may take a contact at once; the others only once it has waited this long "
        "(a duration, or a distribution drawn per contact; then a free agent of those groups "
        "takes the first waiting contact whose delay has passed). An Avaya vector's "
        "`queue-to skill A`, `wait-time T`, `check skill B`; Amazon Connect's routing-profile "
        "queue delay; ContactCenters' router with delays.")
    first_groups: int = Field(default=1, ge=1, le=MAX_LIST, description="With "
                              "`overflow_after`: how many of `groups` take contacts at once.")
    reserve: tuple[Reservation, ...] = Field(
        default=(), max_length=MAX_LIST, description="Groups that keep agents idle for this "
        "channel: each takes other channels' contacts only while more of its agents than "
        "the reservation hold nothing.")
    queue_threshold: dict[str, Annotated[int, Field(ge=0, le=1_000_000)]] = Field(
        default_factory=dict, max_length=MAX_LIST, description="Group name -> m: that group "
        "takes this channel's contacts only while more than m of them are waiting (the "
        "arriving one included): a backup group called in when the queue builds (an Avaya "
        "vector branching on `calls-queued`; ContactCenters' queue-ratio overflow).")
    weight: float = Field(default=1.0, gt=0, le=1e6, description="With selection "
                          "`longest_weighted_wait`: the weight of this channel's waits.")

    @model_validator(mode="after")
    def _overflow_needs_order(self) -> ChannelRouting:
        if self.overflow_after is not None and len(self.groups) <= self.first_groups:
            raise ValueError(f"overflow_after needs groups listing more than first_groups "
                             f"({self.first_groups}) groups: the ones it overflows to")
        if len(set(self.groups)) != len(self.groups):
            raise ValueError(f"a group is listed twice in groups {list(self.groups)}; list "
                             "each once")
        return self


class Callback(Frozen):
    """Virtual hold: a caller facing a long wait is offered a call back and may hang up
    (in-queue callback, e.g. Amazon Connect's queued callbacks)."""

    to: str = Field(max_length=MAX_NAME, description="The deferred channel that holds "
                    "call-backs: its SLA threshold is the promised window (a call-back made "
                    "within it meets that channel's SLA), its handle time the call-back's "
                    "work, its expiry how long a call-back may wait before it is dropped.")
    offer_above: Seconds = Field(description="Offer a call-back when the expected wait on "
                                 "arrival exceeds this: (contacts waiting ahead + 1) x mean "
                                 "work / agents staffed in the groups serving the channel.")
    accept_share: float = Field(ge=0, le=1, description="Share of those offered who accept "
                                "(they leave the live queue at once, outcome `called_back`).")


class Redial(Frozen):
    """A share of those who abandon call again after a delay."""

    share: float = Field(ge=0, le=1, description="Share of abandoned contacts that redial.")
    delay: Distribution = Field(description="Time from abandoning to the redial (a "
                                "distribution or a duration).")


#: Default of `pacing_margin`: deferred work is paced to 3 points under a group's cap.
PACING_MARGIN = 0.03


class RoutingPolicy(Frozen):
    """Policies beyond the standing rule: the fields `Routing` adds."""

    selection: Literal["priority", "longest_weighted_wait"] = Field(
        default="priority", description="What a free agent takes next. `priority`: the "
        "standing rule (live first, priority, oldest or earliest due; most ACDs' default). "
        "`longest_weighted_wait`: across its skills, the channel whose next contact has "
        "waited longest times the channel's `weight` (ContactCenters' longest weighted "
        "waiting time router; 'oldest call waiting' agent selection in ACDs, with "
        "weights); live_first no longer applies.")
    preemption: bool = Field(
        default=False, description="A live contact finding no free agent interrupts an "
        "agent holding only deferred work (email, social); that work goes back to the head "
        "of its queue with its remaining work and resumes with the next free agent "
        "(preemptive-resume priority: unified queues that let a call interrupt an email "
        "in progress). The interrupted contact's record, and so its cost, stays with the "
        "group that first took it.")
    pacing_margin: float = Field(
        default=PACING_MARGIN, ge=0, lt=1, description="How far under its `max_occupancy` "
        "a capped group paces deferred work: its agents take email or social work only "
        "while the interval's load stays within the cap minus this margin (live work is "
        "never held back), so that live bursts leave the interval within the cap and its "
        "upper confidence bound can clear it in the optimizer's judging (docs/routing.md).")
    channels: dict[str, ChannelRouting] = Field(
        default_factory=dict, max_length=MAX_LIST,
        description="Per channel routing: group order, overflow after a delay, reserved "
        "agents, queue thresholds, weight.")

    def is_standing_rule(self) -> bool:
        """Whether no policy beyond the standing rule is set."""
        return (self.selection == "priority" and not self.preemption
                and all(c == ChannelRouting() for c in self.channels.values()))
