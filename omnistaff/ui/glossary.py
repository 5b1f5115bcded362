"""Every technical term the app and its reports use, in a sentence or two: the Glossary page
lists them, and help tooltips quote them (`help_for`), so a term means one thing wherever it
appears."""

from __future__ import annotations

TERMS: dict[str, str] = {
    "abandoned": "A contact that left the queue before an agent answered (a caller hanging "
                 "up, a chat closed). The abandon rate counts abandoned, balked and expired "
                 "contacts over those that entered the queue.",
    "agent-shift": "One agent working one shift on one day: a schedule of 10 agents on a "
                   "Monday-to-Friday shift has 50 agent-shifts.",
    "backlog": "Contacts waiting at a moment (the end of an interval or a day): queued live "
               "contacts and deferred work not yet started.",
    "base": "The run or variant the differences are taken against: the first chosen.",
    "channel-day": "One channel on one day: the unit the SLA is judged in (a week of four "
                   "channels has 28 channel-days).",
    "channel-interval": "One channel in one interval (e.g. 30 minutes) of the horizon.",
    "common random numbers": "Every variant runs the same replications from the same seed, "
                             "with random streams named per channel and quantity, so "
                             "replication r of each sees the same arrivals, handle times and "
                             "patience; differences between them are then paired.",
    "concurrency": "How many contacts an agent holds at once (chats, messages). An agent "
                   "holding k contacts works each more slowly; the efficiency curve says how "
                   "much.",
    "confidence interval": "The range that holds the true mean with 95% confidence, from the "
                           "spread over the replications; written as mean ± half-width.",
    "cost per handled": "A channel's cost divided by the contacts agents handled on it.",
    "cost per resolved": "A channel's cost divided by its resolved contacts.",
    "deferred channel": "A channel whose contacts may wait for an agent (email, social "
                        "posts): its SLA is a response time such as 90% within 24 h, and "
                        "its work can be done later within that window.",
    "deflected": "Contacts a bot resolved without an agent (the bot share).",
    "Erlang A": "The queueing formula for the least agents meeting a service level when "
                "callers abandon after a patience; Erlang C when nobody abandons.",
    "escalated": "Contacts continued on another channel (a social post moved to phone).",
    "FTE": "Full-time equivalents: paid hours divided by the hours of one full-time agent "
           "over the horizon (40 h a week).",
    "half-width": "Half the width of a 95% confidence interval: mean ± half-width.",
    "handled": "Contacts an agent answered and finished.",
    "heat map": "A grid of days by hours, each cell coloured by its value: red below the "
                "target (or short of staff), green above (blue: staff to spare).",
    "idle share": "The part of the labour cost paid for time with no contact in hand "
                  "(waiting for work, paid breaks, off-queue time).",
    "live channel": "A channel answered while the customer waits (phone, chat): its SLA is "
                    "a share answered within seconds.",
    "lower bound": "The least any schedule could cost under the requirements, as the solver "
                   "has proven so far; the schedule found costs at least this much.",
    "lowering trial": "After every SLA is met, a schedule sized for less on the days met "
                      "with room to spare; kept only if it is cheaper and still meets every "
                      "SLA in simulation.",
    "met, miss, unclear": "A channel-day is met when the 95% one-sided lower bound of its "
                          "service level clears the target, a miss when the upper bound is "
                          "below it, unclear otherwise (more replications would tell).",
    "occupancy": "The share of agents' time on queue spent with a contact in hand. A group's "
                 "occupancy cap limits it.",
    "optimality gap": "How far the schedule's cost may be above the cheapest possible: "
                      "(cost − lower bound) / cost. A schedule is proven within the gap "
                      "asked when the solver shows this figure at or under it.",
    "paired difference": "The mean over replications of (variant − base) in the same "
                         "replication; with common random numbers its interval is much "
                         "narrower than that of two independent samples.",
    "premium": "Extra pay for some hours or skills (nights, weekends, a language), set by "
               "the scenario's pay rules; part of the labour cost.",
    "proven": "The solver showed the schedule within the gap asked of the lower bound. A "
              "schedule whose gap was not proven may cost more than needed, and the "
              "headline says so.",
    "reference agent": "An agent of proficiency 1 at the channel's full concurrency: the "
                       "unit requirements are counted in.",
    "replication": "One simulated run of the horizon from its own random numbers; KPIs are "
                   "means over replications, with their confidence intervals.",
    "requirement": "The agents each channel needs per interval: for a live channel the least "
                   "on queue meeting its SLA by Erlang A, for a deferred channel its work "
                   "with its deadline.",
    "resolved": "Contacts handled and not escalated onward, plus those the bot resolved (an "
                "escalated contact counts once, where it is resolved).",
    "round": "One solve-and-simulate step of the optimizer: solve the schedule, simulate "
             "it, raise the requirement where an SLA is missed.",
    "seed": "The number the random streams start from: the same seed gives the same "
            "results.",
    "service level": "The share of contacts answered (or responded to) within the SLA "
                     "threshold, e.g. 80% within 20 s.",
    "shrinkage": "The share of paid time agents are off queue (meetings, coaching) beyond "
                 "breaks; absenteeism is the share of agent-shifts not worked.",
    "SLA": "Service-level agreement: a target share within a threshold (80% within 20 s), "
           "optionally with a most abandonment.",
    "trim": "After the rounds, agent-shifts removed one at a time while every SLA still "
            "holds in simulation, checked on fresh replications.",
    "variant": "A scenario changed in a few named settings (no weekend cover, chat "
               "concurrency 2), defined on the Scenario page.",
    "Welch": "The interval of a difference between two independent samples (runs from "
             "different seeds or replications), wider than a paired one.",
}


def help_for(*terms: str) -> str:
    """The glossary entries of these terms, for a help tooltip."""
    return "  \n".join(f"**{term}**: {TERMS[term]}" for term in terms)


def sorted_terms() -> list[tuple[str, str]]:
    """The entries in alphabetical order, case aside."""
    return sorted(TERMS.items(), key=lambda item: item[0].lower())
