"""AidData GCDF 3.0 vocabularies: the columns, and how their values map to the data model."""

from app.models.enums import OrganisationRole, ProjectStatus

DATASET = "aiddata"
SOURCE_KEY = "aiddata-gcdf-3"
CONSTANT_BASE_YEAR = 2021

RECORD_ID = "AidData Record ID"

# Agency columns: (names, types, the role the organisations play on the project).
AGENCY_COLUMNS = [
    ("Funding Agencies", "Funding Agencies Type", OrganisationRole.financier),
    ("Co-financing Agencies", "Co-financing Agencies Type", OrganisationRole.co_financier),
    (
        "Direct Receiving Agencies",
        "Direct Receiving Agencies Type",
        OrganisationRole.direct_receiver,
    ),
    (
        "Indirect Receiving Agencies",
        "Indirect Receiving Agencies Type",
        OrganisationRole.indirect_receiver,
    ),
    ("Implementing Agencies", "Implementing Agencies Type", OrganisationRole.implementer),
    ("Guarantor", "Guarantor Agency Type", OrganisationRole.guarantor),
    ("Insurance Provider", "Insurance Provider Agency Type", OrganisationRole.insurer),
    (
        "Collateral Provider",
        "Collateral Provider Agency Type",
        OrganisationRole.collateral_provider,
    ),
    (
        "Security Agent/Collateral Agent",
        "Security Agent/Collateral Agent Type",
        OrganisationRole.security_agent,
    ),
]

# Columns stored in typed columns (everything else goes, cleaned, into `attributes`).
SOURCE_COLUMNS = [
    "Total Source Count",
    "Source URLs",
    "Source Titles",
    "Source Publishers",
    "Source Resource Types",
]
MONEY_COLUMNS = {
    "Amount (Original Currency)": "amount",
    "Amount (Constant USD 2021)": "amount_usd_constant",
    "Amount (Nominal USD)": "amount_usd_nominal",
    "Adjusted Amount (Original Currency)": "adjusted_amount",
    "Adjusted Amount (Constant USD 2021)": "adjusted_usd_constant",
    "Adjusted Amount (Nominal USD)": "adjusted_usd_nominal",
    "Insurance Fee (Nominal USD)": "insurance_fee_usd_nominal",
}
LOAN_TERM_COLUMNS = {
    "Maturity": "maturity_years",
    "Interest Rate": "interest_rate",
    "Grace Period": "grace_period_years",
    "Management Fee": "management_fee",
    "Commitment Fee": "commitment_fee",
    "Insurance Fee (Percent)": "insurance_fee_percent",
    "Default Interest Rate": "default_interest_rate",
    "Grant Element (OECD Cash-Flow)": "grant_element_oecd_cash_flow",
    "Grant Element (OECD Grant-Equiv)": "grant_element_oecd_grant_equivalent",
    "Grant Element (IMF)": "grant_element_imf",
}
FUNDING_DATE_COLUMNS = {
    "First Loan Repayment Date": "first_repayment_date",
    "Last Loan Repayment Date": "last_repayment_date",
}
PROJECT_DATE_COLUMNS = {
    "Commitment Date (MM/DD/YYYY)": "commitment_date",
    "Planned Implementation Start Date (MM/DD/YYYY)": "planned_start_date",
    "Actual Implementation Start Date (MM/DD/YYYY)": "start_date",
    "Planned Completion Date (MM/DD/YYYY)": "planned_completion_date",
    "Actual Completion Date (MM/DD/YYYY)": "completion_date",
}
PROJECT_YEAR_COLUMNS = {
    "Commitment Year": "commitment_year",
    "Implementation Start Year": "start_year",
    "Completion Year": "completion_year",
}
PROJECT_FLAG_COLUMNS = {
    "Commitment Date Estimated": "commitment_date_estimated",
    "Actual Implementation Start Date Estimated": "start_date_estimated",
    "Actual Completion Date Estimated": "completion_date_estimated",
    "Infrastructure": "infrastructure",
    "COVID": "covid",
}
PROJECT_TEXT_COLUMNS = {  # column -> (attribute, longest accepted)
    "Recipient": ("recipient", 300),
    "Recipient Region": ("recipient_region", 60),
    "Intent": ("intent", 60),
    "Flow Type Simplified": ("flow_type_simplified", 60),
    "Flow Class": ("flow_class", 60),
    "Sector Name": ("sector_name", 200),
    "OECD ODA Income Group": ("income_group", 60),
}
SCORE_COLUMNS = {
    "Source Quality Score": "source_quality_score",
    "Data Completeness Score": "data_completeness_score",
    "Implementation Detail Score": "implementation_detail_score",
    "Loan Detail Score": "loan_detail_score",
}
OTHER_MAPPED = [
    RECORD_ID,
    "Recommended For Aggregates",
    "AidData Parent ID",
    "Umbrella",
    "Recipient ISO-3",
    "Title",
    "Description",
    "Status",
    "Flow Type",
    "Sector Code",
    "Original Currency",
    "Amount Estimated",
]
REQUIRED = [
    *OTHER_MAPPED,
    "Financier Country",
    *SOURCE_COLUMNS,
    *(column for pair in AGENCY_COLUMNS for column in pair[:2]),
    *MONEY_COLUMNS,
    *LOAN_TERM_COLUMNS,
    *FUNDING_DATE_COLUMNS,
    *PROJECT_DATE_COLUMNS,
    *PROJECT_YEAR_COLUMNS,
    *PROJECT_FLAG_COLUMNS,
    *PROJECT_TEXT_COLUMNS,
    *SCORE_COLUMNS,
]
# Agency types also stay as written: an organisation's kind is a coarser reading of them.
AGENCY_TYPE_COLUMNS = frozenset(types for _, types, _ in AGENCY_COLUMNS)
TYPED = frozenset(REQUIRED) - {"Financier Country"} - AGENCY_TYPE_COLUMNS

# Attribute columns that are Yes/No flags or numbers: validated, then kept in `attributes`.
ATTRIBUTE_NUMBERS = frozenset(
    {
        "OECD ODA Concessionality Threshold",
        "Deviation from Planned Implementation Start Date",
        "Deviation from Planned Completion Date",
        "Official Source Count",
    }
)
ATTRIBUTE_TEXT = frozenset(
    {
        "Financier Country",
        "Staff Comments",
        "Collateral",
        "Number of Lenders",
        "Project JV/SPV Host Government Ownership",
        "Project JV/SPV Chinese Government Ownership",
        "Level of Public Liability",
        "Contact Name",
        "Contact Position",
        "Location Narrative",
        "Geographic Level of Precision Available",
    }
)
ATTRIBUTE_FLAGS = frozenset(
    {
        "Co-financed",
        "On-lending",
        "Guarantee Provided",
        "Insurance Provided",
        "Collateralized",
        "Financial Distress",
        "Export Buyer's Credit",
        "Supplier’s Credit/Export Seller’s Credit",
        "Interest-Free Loan",
        "Refinancing",
        "Investment Project Loan",
        "M&A",
        "Working Capital",
        "EPCF",
        "Lease",
        "FXSL/BOP",
        "CC IRS",
        "RCF",
        "GCL",
        "PBC",
        "PxF/Commodity Prepayment",
        "Inter-Bank Loan",
        "Overseas Project Contracting Loan",
        "DPA",
        "Project Finance",
        "Involving Multilateral",
        "Non-Chinese Financier",
        "Short-Term",
        "Rescue",
        "ODA Eligible Recipient",
        "ADM1 Level Available",
        "ADM2 Level Available",
        "Geospatial Feature Available",
    }
)
# A column outside every list above (a later layout may add some) is kept as text.

STATUSES = {
    "pipeline: pledge": ProjectStatus.pledged,
    "pipeline: commitment": ProjectStatus.committed,
    "implementation": ProjectStatus.implementation,
    "completion": ProjectStatus.completed,
    "suspended": ProjectStatus.suspended,
    "cancelled": ProjectStatus.cancelled,
    "canceled": ProjectStatus.cancelled,
    "": ProjectStatus.unknown,
}
STATUS_NAMES = (
    "Pipeline: Pledge, Pipeline: Commitment, Implementation, Completion, Suspended, "
    "Cancelled or blank"
)

# Rule-based strand tagging (off unless --infer-strands): OECD sector code, first year.
# GCDF rows state no strand; these links are stored with basis=inferred.
STRAND_RULES = [
    ("digital", "220", 2015),  # Communications, from the Digital Silk Road's launch
    ("health", "120", 2017),  # Health, from the Health Silk Road's prominence
]
