from .accounts import Account, Tariff, TariffVersion, UtilityCompany, ZoneUtilitySettings
from .choices import BAND, UNIT, ChargeKind, FindingStatus, Kind, Level, Register, Source, Structure
from .ledger import Batch, Charge, CutOff, Reading, TopUp
from .warnings import Finding, Warning

__all__ = [
    "BAND", "UNIT", "Account", "Batch", "Charge", "ChargeKind", "CutOff", "Finding",
    "FindingStatus", "Kind", "Level", "Reading", "Register", "Source", "Structure", "Tariff",
    "TariffVersion", "TopUp", "UtilityCompany", "Warning", "ZoneUtilitySettings",
]  # fmt: skip
