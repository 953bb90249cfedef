"""The real AidData sample imported, then read back field by field."""

import csv
from collections import defaultdict
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Change, Funding, Organisation, Project, Source
from tests.imports.helpers import (
    SAMPLE,
    cents,
    citations,
    count,
    countries,
    dataset_version,
    do_import,
    funding,
    organisation_roles,
    project,
    strands,
)


def test_report_counts_every_row_and_resource(session: Session) -> None:
    report = do_import(session, "aiddata", SAMPLE)

    assert (report.rows, report.valid, report.rejected_rows) == (20, 20, 0)
    assert report.problems == []
    assert report.warnings == []
    assert report.written
    assert not report.refused
    counts = {name: vars(c) for name, c in report.counts.items()}
    assert counts == {
        "sources": {"inserted": 273, "updated": 0, "unchanged": 0},
        "organisations": {"inserted": 49, "updated": 0, "unchanged": 0},
        "projects": {"inserted": 20, "updated": 0, "unchanged": 0},
        "funding": {"inserted": 20, "updated": 0, "unchanged": 0},
    }
    assert count(session, Project, Project.dataset == "aiddata") == 20


def test_a_grant_record_field_by_field(session: Session) -> None:
    do_import(session, "aiddata", SAMPLE)
    p = project(session, "aiddata-89653")

    assert (p.dataset, p.external_id, p.kind, p.status) == (
        "aiddata",
        "89653",
        "project",
        "implementation",
    )
    assert p.title.startswith("Chinese Government provides $1.5 million grant for Port of La")
    assert (p.recipient, p.recipient_region) == ("El Salvador", "America")
    assert (p.commitment_year, p.start_year, p.completion_year) == (2019, 2019, 2022)
    assert p.commitment_date == date(2019, 12, 3)
    assert p.commitment_date_estimated is False
    assert p.start_date == date(2019, 2, 27)
    assert p.start_date_estimated is True
    assert p.completion_date == date(2022, 8, 26)
    assert p.completion_date_estimated is None
    assert (p.planned_start_date, p.planned_completion_date) == (None, date(2021, 12, 31))
    assert (p.intent, p.flow_type, p.flow_type_simplified, p.flow_class) == (
        "Development",
        "grant",
        "Grant",
        "ODA-like",
    )
    assert (p.sector_code, p.sector_name) == ("160", "OTHER SOCIAL INFRASTRUCTURE AND SERVICES")
    assert (p.umbrella, p.recommended_for_aggregates, p.parent_key) == (
        False,
        True,
        "aiddata-parent-425",
    )
    assert (p.infrastructure, p.covid, p.income_group) == (True, None, "Lower middle income")
    scores = (
        p.source_quality_score,
        p.data_completeness_score,
        p.implementation_detail_score,
        p.loan_detail_score,
    )
    assert scores == (5, 4, 4, None)
    assert (p.amount_usd_nominal, p.amount_usd_constant) == (
        Decimal("1500000.00"),
        Decimal("1685346.92"),
    )
    assert p.attributes is not None
    assert p.attributes["Financier Country"] == "China (People's Republic of)"
    assert p.attributes["Official Source Count"] == "8"
    assert p.attributes["Co-financed"] is False
    assert p.attributes["ODA Eligible Recipient"] is True
    assert "Staff Comments" in p.attributes
    assert "COVID" not in p.attributes
    # Agency types as written (the organisations' kinds are read from them), blanks left out.
    assert p.attributes["Funding Agencies Type"] == "Government Agency"
    assert "Co-financing Agencies Type" not in p.attributes
    assert countries(session, "aiddata-89653") == {("SLV", "recipient")}
    assert strands(session, "aiddata-89653") == set()
    assert organisation_roles(session, "aiddata-89653") == {
        ("china-ministry-of-commerce", "financier"),
        ("government-of-el-salvador", "direct_receiver"),
    }


def test_a_loan_record_keeps_its_money_and_terms_to_the_cent(session: Session) -> None:
    do_import(session, "aiddata", SAMPLE)
    f = funding(session, "aiddata-54912")

    assert (f.flow_type, f.flow_type_detail) == ("loan", "Loan")
    assert (f.amount, f.currency, f.amount_estimated) == (Decimal("600000000.00"), "CNY", None)
    assert f.amount_usd_nominal == Decimal("90292542.31")  # 90292542.3066553
    assert f.amount_usd_constant == Decimal("106617841.03")  # 106617841.026846
    assert f.constant_base_year == 2021
    assert (f.adjusted_amount, f.adjusted_usd_nominal, f.adjusted_usd_constant) == (
        Decimal("600000000.00"),
        Decimal("90292542.31"),
        Decimal("106617841.03"),
    )
    assert (f.commitment_date, f.commitment_date_estimated, f.commitment_year) == (
        date(2016, 12, 15),
        False,
        2016,
    )
    assert (f.interest_rate, f.maturity_years, f.grace_period_years) == (
        Decimal("2"),
        Decimal("21.75"),
        Decimal("5"),
    )
    assert (f.first_repayment_date, f.last_repayment_date) == (
        date(2021, 12, 14),
        date(2038, 9, 9),
    )
    assert (
        f.grant_element_oecd_cash_flow,
        f.grant_element_oecd_grant_equivalent,
        f.grant_element_imf,
    ) == (Decimal("54.7023"), Decimal("34.5267"), Decimal("27.599"))
    assert (f.management_fee, f.commitment_fee, f.insurance_fee_usd_nominal) == (None, None, None)
    assert f.locator == "record 54912"
    eximbank = session.scalars(select(Organisation).where(Organisation.id == f.financier_id)).one()
    assert (eximbank.key, eximbank.name, eximbank.kind, eximbank.country_iso3) == (
        "export-import-bank-of-china-china-eximbank",
        "Export-Import Bank of China (China Eximbank)",
        "bank",
        "CHN",
    )
    p = project(session, "aiddata-54912")
    assert (p.amount_usd_nominal, p.amount_usd_constant) == (
        Decimal("90292542.31"),
        Decimal("106617841.03"),
    )
    assert p.parent_key is None
    assert p.completion_year is None
    assert p.start_year == 2018


def test_a_record_without_money_has_a_funding_row_without_amounts(session: Session) -> None:
    do_import(session, "aiddata", SAMPLE)
    f = funding(session, "aiddata-85813")

    assert (f.amount, f.currency, f.amount_usd_nominal, f.amount_usd_constant) == (
        None,
        None,
        None,
        None,
    )
    assert (f.constant_base_year, f.flow_type) == (None, "grant")
    assert (f.commitment_date, f.commitment_date_estimated) == (date(2014, 1, 1), True)
    p = project(session, "aiddata-85813")
    assert (p.amount_usd_nominal, p.amount_usd_constant) == (None, None)
    # "Government of Grenada " (a trailing space) is the same organisation as elsewhere.
    assert organisation_roles(session, "aiddata-85813") == {
        ("china-harbour-engineering-co-ltd", "financier"),
        ("government-of-grenada", "direct_receiver"),
    }


def test_agency_lists_become_organisations_with_roles_and_kinds(session: Session) -> None:
    do_import(session, "aiddata", SAMPLE)

    assert organisation_roles(session, "aiddata-88899") == {
        ("people-s-bank-of-china-pbc", "financier"),
        ("general-electric-co-ge", "co_financier"),
        ("idb-invest-inter-american-investment-corporation", "co_financier"),
        ("international-finance-corporation-ifc", "co_financier"),
        ("centrais-eletricas-de-sergipe-sa-celse", "direct_receiver"),
        ("black-veatch", "implementer"),
        ("china-co-financing-fund-for-latin-america-and-the-caribbean-chc", "implementer"),
        ("eletricidade-do-brasil-ebrasil", "implementer"),
        ("general-electric-co-ge", "implementer"),
        ("golar-lng", "implementer"),
        ("sapura-energy", "implementer"),
        ("stonepeak-infrastructure-partners", "implementer"),
    }
    assert organisation_roles(session, "aiddata-69143") == {
        ("export-import-bank-of-china-china-eximbank", "financier"),
        ("port-authority-of-jamaica", "direct_receiver"),
        ("port-authority-of-jamaica", "implementer"),
        ("government-of-jamaica", "guarantor"),
    }
    kinds = dict(
        session.execute(
            select(Organisation.key, Organisation.kind).where(
                Organisation.key.in_(
                    [
                        "people-s-bank-of-china-pbc",
                        "general-electric-co-ge",
                        "idb-invest-inter-american-investment-corporation",
                        "centrais-eletricas-de-sergipe-sa-celse",
                        "government-of-jamaica",
                        "china-ministry-of-commerce",
                        "china-harbour-engineering-co-ltd",
                        "jamaican-national-premier-league",
                    ]
                )
            )
        ).all()
    )
    assert kinds == {
        "people-s-bank-of-china-pbc": "government_agency",
        "general-electric-co-ge": "company",
        "idb-invest-inter-american-investment-corporation": "intergovernmental",
        "centrais-eletricas-de-sergipe-sa-celse": "company",
        "government-of-jamaica": "government",
        "china-ministry-of-commerce": "ministry",
        "china-harbour-engineering-co-ltd": "state_owned_enterprise",
        "jamaican-national-premier-league": "other",
    }
    brazil = session.scalars(
        select(Organisation).where(Organisation.key == "eletricidade-do-brasil-ebrasil")
    ).one()
    aiddata = session.scalars(select(Source).where(Source.key == "aiddata-gcdf-3")).one()
    assert (brazil.name, brazil.country_iso3, brazil.source_id, brazil.locator) == (
        "Eletricidade do Brasil (EBRASIL)",
        "BRA",
        aiddata.id,
        "aiddata organisation columns",
    )


def test_sources_are_split_and_cited_with_the_dataset_record(session: Session) -> None:
    do_import(session, "aiddata", SAMPLE)
    cited = citations(session, "aiddata-89653")

    assert len(cited) == 20  # 19 source URLs and the dataset's own record
    assert [(s.key, locator) for s, locator in cited if s.kind == "dataset"] == [
        ("aiddata-gcdf-3", "record 89653")
    ]
    web = {source.url: (source, locator) for source, locator in cited if source.url}
    bbc, locator = web["https://www.bbc.com/mundo/noticias-america-latina-50666592"]
    assert locator == "as listed in AidData record 89653"
    assert (bbc.kind, bbc.publisher, bbc.note) == (
        "article",
        "BBC",
        "AidData resource type: Media Report",
    )
    assert bbc.title.startswith("Bukele visita China: el histórico acercamiento")
    # Titles with a '|' of their own still line up with their URLs.
    asamblea, _ = web["https://twitter.com/asambleasv/status/1501218224461033473"]
    assert (asamblea.title, asamblea.kind, asamblea.publisher) == (
        "AsambleaSV | Twitter",
        "webpage",
        None,
    )
    ahyouth, _ = web["https://www.ahyouth.com/news/20220828/1624306.shtml"]
    assert ahyouth.title == "萨尔瓦多总统：感谢中方无私援助"
    statement, _ = web["http://sv.china-embassy.gov.cn/sgdt/202101/t20210107_4845545.htm"]
    assert (statement.kind, statement.title) == (
        "statement",
        "欧箭虹大使会见萨尔瓦多旅游部长巴尔德斯",
    )
    every = session.scalar(select(func.count()).select_from(Source).where(Source.key.like("url-%")))
    assert every == 273


def test_excel_escapes_are_cleaned(session: Session) -> None:
    do_import(session, "aiddata", SAMPLE)
    description = project(session, "aiddata-60012").description or ""

    assert "_x000D_" not in description
    assert "officials attended the event.\n\nThe Nuctech Linear Accelerator" in description
    assert (
        session.scalar(
            select(func.count()).select_from(Project).where(Project.description.like("%_x000D_%"))
        )
        == 0
    )


def _file_sums() -> tuple[dict[str, Decimal], dict[str, Decimal], Decimal, Decimal]:
    """Sums straight from the CSV with Decimal: raw, and each amount rounded to the cent."""
    raw: dict[str, Decimal] = defaultdict(Decimal)
    rounded: dict[str, Decimal] = defaultdict(Decimal)
    nominal = constant = Decimal(0)
    with SAMPLE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            amount = row["Amount (Original Currency)"].strip()
            if amount:
                raw[row["Original Currency"]] += Decimal(amount)
                rounded[row["Original Currency"]] += cents(amount)
            if row["Amount (Nominal USD)"].strip():
                nominal += cents(row["Amount (Nominal USD)"])
            if row["Amount (Constant USD 2021)"].strip():
                constant += cents(row["Amount (Constant USD 2021)"])
    return raw, rounded, nominal, constant


def test_sums_per_currency_equal_the_files_own_sums(session: Session) -> None:
    do_import(session, "aiddata", SAMPLE)
    raw, rounded, nominal, constant = _file_sums()
    stmt = (
        select(Funding.currency, func.sum(Funding.amount), func.count())
        .where(Funding.key.like("aiddata-%"), Funding.amount.is_not(None))
        .group_by(Funding.currency)
    )
    # SUM over the Money column comes back as exact Decimal cents on both databases.
    sums = {currency: total for currency, total, _ in session.execute(stmt)}

    assert sums == dict(rounded)
    assert sums == {
        "USD": Decimal("693818868.00"),
        "CNY": Decimal("948200000.00"),
        "JMD": Decimal("45210000.00"),
        "XCD": Decimal("100000000.00"),
    }
    assert sums == dict(raw)  # original-currency amounts here are whole numbers
    usd = select(func.sum(Funding.amount_usd_nominal), func.sum(Funding.amount_usd_constant))
    usd_nominal, usd_constant = session.execute(usd.where(Funding.key.like("aiddata-%"))).one()
    assert (usd_nominal, usd_constant) == (nominal, constant)
    assert (nominal, constant) == (Decimal("875724736.82"), Decimal("1026739694.56"))
    # Each amount is rounded to the cent before it is stored, so the stored total may differ
    # from the unrounded sum of the file (875724736.79815157108) by half a cent per row.
    unrounded = Decimal("875724736.79815157108")
    assert abs(nominal - unrounded) <= Decimal("0.005") * 19
    # Each project's denormalised totals are the sums of its funding rows.
    projects = select(func.sum(Project.amount_usd_nominal), func.sum(Project.amount_usd_constant))
    assert session.execute(projects.where(Project.dataset == "aiddata")).one() == (
        usd_nominal,
        usd_constant,
    )


def test_the_import_is_in_the_change_log_and_moves_the_dataset_version(
    session: Session,
) -> None:
    before = dataset_version(session)
    report = do_import(session, "aiddata", SAMPLE)

    logged = session.execute(
        select(Change.resource, Change.op, func.count())
        .where(Change.version > before)
        .group_by(Change.resource, Change.op)
    ).all()
    assert {(r, str(op), n) for r, op, n in logged} == {
        ("sources", "create", 273),
        ("organisations", "create", 49),
        ("projects", "create", 20),
        ("funding", "create", 20),
    }
    after = dataset_version(session)
    # PostgreSQL sequences skip the numbers of rolled-back transactions: count, not subtract.
    assert count(session, Change, Change.version > before) == 362
    assert after >= before + 362
    assert (report.version_before, report.version_after) == (before, after)
    actors = session.scalars(select(Change.actor).where(Change.version > before).distinct())
    assert list(actors) == ["import:aiddata"]
    p = project(session, "aiddata-89653")
    entry = session.scalars(
        select(Change).where(Change.resource == "projects", Change.resource_id == str(p.id))
    ).one()
    assert entry.before is None
    assert entry.after is not None
    assert (entry.after["key"], entry.after["amount_usd_constant"]) == (
        "aiddata-89653",
        "1685346.92",
    )
    assert entry.after["commitment_date"] == "2019-12-03"
