"""Collection years: 1 April to 31 March, named by the year they end (2025 is 2024-25)."""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class CollectionYear:
    year: int

    @property
    def start(self) -> date:
        return date(self.year - 1, 4, 1)

    @property
    def end(self) -> date:
        return date(self.year, 3, 31)

    @property
    def label(self) -> str:
        return f"{self.year - 1}-{str(self.year)[2:]}"

    def overlaps(self, starts: date | None, ends: date | None) -> bool:
        """Open at some point in the year: started by its end, not ended before its start."""
        return starts is not None and starts <= self.end and (ends is None or ends >= self.start)

    def within(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end
