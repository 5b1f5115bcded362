"""Upper bounds on what a scenario may ask for, each beyond what a real contact center
could need, so that nothing valid can hang omnistaff or exhaust its memory.

Each bound is stated, with its reason, in the description of the field it limits (and so in
the JSON Schema and docs/scenario-format.md).
"""

from __future__ import annotations

DAY = 86400.0

#: A duration: a year; nothing a contact center plans takes longer.
MAX_DURATION = 366 * DAY
#: Names of channels, groups, templates, classes and variants (also used in file names).
MAX_NAME = 64
#: Titles and labels, shown in tables.
MAX_TITLE = 200
#: Free-text descriptions.
MAX_DESCRIPTION = 10_000
#: Channels in one scenario: real centers run fewer than a dozen.
MAX_CHANNELS = 50
#: Agent groups (skill sets) in one scenario.
MAX_GROUPS = 200
#: Shift patterns in one scenario's staffing.
MAX_SHIFTS = 5_000
#: Agents of one shift pattern, or of one group in one interval: more than the largest
#: single contact centers seat.
MAX_AGENTS = 5_000
#: Agents on the roster at once, over every shift and group.
MAX_TOTAL_AGENTS = 20_000
#: Expected contacts over 7 days on one channel: about 3 a second, around the clock.
MAX_WEEKLY_VOLUME = 2_000_000
#: Expected contacts in one reporting interval (`counts`).
MAX_INTERVAL_COUNT = 100_000
#: Expected contacts per replication over every channel (escalations and surges included):
#: about half a minute of simulation each.
MAX_CONTACTS = 5_000_000
#: Arrival-rate multiplier of a surge.
MAX_SURGE = 100.0
#: Surges per channel.
MAX_SURGES = 100
#: Replications of one run.
MAX_REPLICATIONS = 1_000
#: Observed values in an empirical distribution.
MAX_SAMPLES = 100_000
#: Variants in one scenario, and overrides in one variant.
MAX_VARIANTS = 100
MAX_OVERRIDES = 500
#: Entries in the small lists of a scenario (breaks, classes, escalations, lengths ...).
MAX_LIST = 24
#: Money per hour or per item: beyond any wage or bot price.
MAX_RATE = 100_000.0
#: Money in total (budgets, yearly training).
MAX_MONEY = 1e12
#: Largest seed (a 63-bit integer).
MAX_SEED = 2**63 - 1
