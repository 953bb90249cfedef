"""Controlled vocabularies, stored as CHECK-constrained strings."""

from enum import StrEnum


class SourceKind(StrEnum):
    article = "article"
    dataset = "dataset"
    report = "report"
    statement = "statement"
    webpage = "webpage"
    standard = "standard"


class StrandKind(StrEnum):
    core = "core"
    thematic = "thematic"
    geographic = "geographic"


class OrganisationKind(StrEnum):
    company = "company"
    bank = "bank"
    government = "government"
    ministry = "ministry"
    government_agency = "government_agency"
    state_owned_enterprise = "state_owned_enterprise"
    legislature = "legislature"
    political_party = "political_party"
    think_tank = "think_tank"
    media = "media"
    alliance = "alliance"
    intergovernmental = "intergovernmental"
    university = "university"
    ngo = "ngo"
    other = "other"


class ProjectKind(StrEnum):
    programme = "programme"
    project = "project"


class ProjectStatus(StrEnum):
    pledged = "pledged"
    committed = "committed"
    implementation = "implementation"
    completed = "completed"
    operational = "operational"
    suspended = "suspended"
    cancelled = "cancelled"
    unknown = "unknown"


class CountryRole(StrEnum):
    recipient = "recipient"
    host = "host"
    participant = "participant"
    adopter = "adopter"
    member = "member"
    financier = "financier"


class OrganisationRole(StrEnum):
    financier = "financier"
    co_financier = "co_financier"
    direct_receiver = "direct_receiver"
    indirect_receiver = "indirect_receiver"
    implementer = "implementer"
    guarantor = "guarantor"
    insurer = "insurer"
    collateral_provider = "collateral_provider"
    security_agent = "security_agent"
    supplier = "supplier"
    operator = "operator"
    owner = "owner"
    promoter = "promoter"


class Basis(StrEnum):
    """Whether a source states a link, or a documented rule inferred it."""

    stated = "stated"
    inferred = "inferred"


class FlowType(StrEnum):
    loan = "loan"
    grant = "grant"
    export_buyers_credit = "export_buyers_credit"
    suppliers_credit = "suppliers_credit"
    debt_relief = "debt_relief"
    investment = "investment"
    technical_assistance = "technical_assistance"
    in_kind = "in_kind"
    other = "other"
    vague = "vague"


class Unit(StrEnum):
    USD = "USD"
    percent = "percent"
    ratio = "ratio"
    count_ = "count"
    index_ = "index"


class Qualifier(StrEnum):
    exact = "exact"
    approximate = "approximate"
    range = "range"
    at_least = "at_least"
    at_most = "at_most"
    target = "target"


class Scope(StrEnum):
    global_ = "global"
    strand = "strand"
    country = "country"
    organisation = "organisation"
    project = "project"


class StanceAction(StrEnum):
    joined = "joined"
    adopted = "adopted"
    resisted = "resisted"
    restricted = "restricted"
    supported = "supported"
    criticised = "criticised"


class EventKind(StrEnum):
    launch = "launch"
    announcement = "announcement"
    report = "report"
    statement = "statement"
    policy = "policy"
    milestone = "milestone"


class DatePrecision(StrEnum):
    year = "year"
    month = "month"
    day = "day"


class ChangeOp(StrEnum):
    create = "create"
    update = "update"
    delete = "delete"


class KeyScope(StrEnum):
    read = "read"
    write = "write"
