from harbour.authority.models import (
    Authority,
    ChildPopulation,
    PolicySetting,
    SchoolTerm,
    StatisticalNeighbour,
)
from harbour.core.admin import register

register(Authority, ChildPopulation, StatisticalNeighbour, PolicySetting, SchoolTerm)
