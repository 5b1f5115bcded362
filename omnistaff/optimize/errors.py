"""The one error the optimizer raises for a problem it cannot solve, said in words."""

from __future__ import annotations


class ScheduleInfeasible(ValueError):
    """No schedule meets the requirements within the limits; each reason names what to change."""

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = reasons
        lines = "\n".join(f"  - {reason}" for reason in reasons)
        super().__init__(f"no schedule meets the requirements within the limits:\n{lines}")
