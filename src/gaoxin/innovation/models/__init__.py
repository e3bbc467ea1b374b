from .assessment import AssessmentInput
from .capacity import CloudAdoption, Cooperation, Platform, Talent
from .choices import (
    CertKind,
    CertStatus,
    CloudLevel,
    Level,
    PatentKind,
    PatentStatus,
    PlatformKind,
    Source,
    TechField,
)
from .ip import Patent, SoftwareCopyright
from .records import AnnualReport, Certification, Target, Title

__all__ = [
    "AnnualReport",
    "AssessmentInput",
    "CertKind",
    "CertStatus",
    "Certification",
    "CloudAdoption",
    "CloudLevel",
    "Cooperation",
    "Level",
    "PatentKind",
    "PatentStatus",
    "Patent",
    "Platform",
    "PlatformKind",
    "SoftwareCopyright",
    "Source",
    "Talent",
    "Target",
    "TechField",
    "Title",
]
