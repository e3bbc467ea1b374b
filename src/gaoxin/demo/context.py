"""What the demo's steps share: one `Demo` object, passed to every installed module's demo step.

A module's step (`Module.demo_step`, `f(demo)`) reads the province plan and what the steps before
it wrote from here, and adds what later steps need. It does not import `gaoxin.demo`: it knows
this object only by the attributes below (duck typing), so the demo app stays above every module.

A step returns its summary, which the orchestrator keeps in `summaries` under the module's label.
The summary may offer any of:

- `headline()`: a count for the loaded line of `gaoxin demo` ("810 家企业");
- `lines()`: the lines `gaoxin demo` prints after it;
- `audit(zone)`: the counts this step adds to the zone's demo audit record.
"""

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from gaoxin.core.models import Role

from .chains import CHAINS, is_industrial
from .identity import Codes, address, qq_email
from .names import CompanyNamer, person_name
from .plan import ZonePlan


@dataclass
class Demo:
    """The demo's context (module docstring): the plan, what is written so far, shared tools."""

    seed: int
    plans: tuple[ZonePlan, ...]  # the zones' plans, the main zone's first
    main: ZonePlan  # the zone calibrated to DOMAIN.md's published figures
    as_of: datetime.date  # the registry's story runs to this day (plan.AS_OF)
    account_plans: tuple  # the demo accounts to write (plan.Account)
    password: str  # the demo accounts' one published password
    keepers: dict[str, str]  # zone code → username of the officer who keeps its registry
    progress: Callable[[str], None] = lambda line: None  # a line for the person waiting
    # The province's industry chains: chain name → its industry classes (chains.Line).
    chains: dict = field(default_factory=lambda: CHAINS)
    # Written by the orchestrator before any step runs.
    zones: dict = field(default_factory=dict)  # zone code → Zone
    departments: dict = field(default_factory=dict)  # zone code → {name: Department}
    tags: dict = field(default_factory=dict)  # zone code → {chain name: its industry-chain Tag}
    # Written by the steps.
    registries: dict = field(default_factory=dict)  # zone code → [(Enterprise, chain name)]
    accounts: list = field(default_factory=list)  # [(User, Membership)] in plan order
    summaries: dict = field(default_factory=dict)  # module label → its step's summary
    # Unique across the demo: company and project names in use, organisation codes and mobiles.
    names: set = field(default_factory=set)
    codes: Codes = field(default_factory=Codes)

    # A person's name, a street address in the zone, an e-mail address, each drawn from the
    # random.Random given (names.py, identity.py).
    person_name = staticmethod(person_name)
    address = staticmethod(address)
    email = staticmethod(qq_email)
    # Whether a GB/T 4754 class is mining, manufacturing or utilities (only these are 规上工业).
    is_industrial = staticmethod(is_industrial)

    def rng(self, *parts: str) -> random.Random:
        """The random stream of one part of the demo: the same seed and parts draw the same."""
        return random.Random(":".join((str(self.seed), *parts)))

    def namer(self) -> CompanyNamer:
        """A company namer for one zone: names unique across the demo (`names`), trade names
        (字号) unique within the zone."""
        return CompanyNamer(self.names)

    def calibrated(self, zone) -> bool:
        """Whether this is the zone built to DOMAIN.md's published figures."""
        return zone.code == self.main.code

    def officers(self, zone) -> dict:
        """The zone's demo officers by department name; None → the zone's administrator."""
        officers = {}
        for user, m in self.accounts:
            if m.zone_id == zone.pk and m.role in (Role.ZONE_STAFF, Role.ZONE_ADMIN):
                officers.setdefault(m.department.name if m.department_id else None, user)
        return officers
