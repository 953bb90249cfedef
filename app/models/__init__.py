"""All ORM models, importable from one place (Alembic reads `Base.metadata`)."""

from app.models.base import Base, ExactDecimal, Money
from app.models.facts import Event, Figure, Stance
from app.models.projects import (
    Funding,
    Project,
    ProjectCitation,
    ProjectCountry,
    ProjectLine,
    ProjectOrganisation,
    ProjectStrand,
)
from app.models.reference import Country, Organisation, OrganisationMember, Source, Strand
from app.models.rollups import FundingRollup
from app.models.system import ApiKey, Change, IdempotencyRecord

__all__ = [
    "ApiKey",
    "Base",
    "Change",
    "Country",
    "Event",
    "ExactDecimal",
    "Figure",
    "Funding",
    "FundingRollup",
    "IdempotencyRecord",
    "Money",
    "Organisation",
    "OrganisationMember",
    "Project",
    "ProjectCitation",
    "ProjectCountry",
    "ProjectLine",
    "ProjectOrganisation",
    "ProjectStrand",
    "Source",
    "Stance",
    "Strand",
]
