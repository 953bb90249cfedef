"""The vocabularies synthetic data is drawn from, shaped like AidData's GCDF 3.0.

Names are plainly fictitious (no real lender is credited with an invented loan); codes,
years, flows, statuses and the spread of amounts follow the shape of the real dataset.
"""

from app.models.enums import FlowType, ProjectStatus

DATASET = "synthetic"
FIRST_YEAR, LAST_YEAR = 2000, 2023
CONSTANT_BASE_YEAR = 2021
RECIPIENTS = 165

# OECD DAC/CRS sector codes with the weight of each in the real dataset (roughly).
SECTORS: list[tuple[str, str, int]] = [
    ("110", "Education", 9),
    ("120", "Health", 8),
    ("130", "Population Policies/Programmes and Reproductive Health", 1),
    ("140", "Water Supply and Sanitation", 4),
    ("150", "Government and Civil Society", 7),
    ("160", "Other Social Infrastructure and Services", 8),
    ("210", "Transport and Storage", 8),
    ("220", "Communications", 6),
    ("230", "Energy", 7),
    ("240", "Banking and Financial Services", 3),
    ("250", "Business and Other Services", 2),
    ("310", "Agriculture, Forestry, Fishing", 6),
    ("320", "Industry, Mining, Construction", 5),
    ("330", "Trade Policies and Regulations", 1),
    ("410", "General Environment Protection", 1),
    ("430", "Other Multisector", 4),
    ("510", "General Budget Support", 2),
    ("520", "Developmental Food Aid/Food Security Assistance", 1),
    ("530", "Non-food Commodity Assistance", 1),
    ("600", "Action Relating to Debt", 3),
    ("700", "Emergency Response", 6),
    ("910", "Administrative Costs of Donors", 1),
    ("998", "Unallocated/Unspecified", 6),
]

# What a project in the sector builds or does, for titles.
ACTIVITIES: dict[str, list[str]] = {
    "110": ["school construction", "vocational training centre", "university scholarships"],
    "120": ["hospital construction", "medical team dispatch", "malaria control centre"],
    "130": ["maternal health programme", "family health clinic"],
    "140": ["water supply network", "sewage treatment plant", "borehole drilling"],
    "150": ["government office building", "police equipment", "parliament building"],
    "160": ["stadium construction", "cultural centre", "housing project"],
    "210": ["highway upgrade", "railway line", "port expansion", "airport terminal"],
    "220": ["fibre-optic backbone", "4G network rollout", "data centre", "e-government system"],
    "230": ["hydropower station", "coal power plant", "solar park", "transmission line"],
    "240": ["credit line to the central bank", "currency swap facility"],
    "250": ["industrial park", "special economic zone"],
    "310": ["agricultural demonstration centre", "irrigation scheme", "fishing fleet"],
    "320": ["cement plant", "mining concession", "steel mill"],
    "330": ["customs equipment", "trade facilitation programme"],
    "410": ["reforestation programme", "climate monitoring station"],
    "430": ["rural development programme", "urban development plan"],
    "510": ["budget support", "balance of payments support"],
    "520": ["food aid", "rice donation"],
    "530": ["commodity donation", "equipment donation"],
    "600": ["debt rescheduling", "debt cancellation"],
    "700": ["emergency relief", "earthquake reconstruction", "COVID-19 vaccine donation"],
    "910": ["administrative support"],
    "998": ["unspecified assistance", "general cooperation agreement"],
}

STATUSES: list[tuple[ProjectStatus, int]] = [
    (ProjectStatus.completed, 45),
    (ProjectStatus.implementation, 20),
    (ProjectStatus.committed, 12),
    (ProjectStatus.pledged, 8),
    (ProjectStatus.operational, 5),
    (ProjectStatus.suspended, 3),
    (ProjectStatus.cancelled, 4),
    (ProjectStatus.unknown, 3),
]

FLOWS: list[tuple[FlowType, int]] = [
    (FlowType.loan, 35),
    (FlowType.grant, 25),
    (FlowType.export_buyers_credit, 6),
    (FlowType.suppliers_credit, 3),
    (FlowType.debt_relief, 3),
    (FlowType.investment, 5),
    (FlowType.technical_assistance, 8),
    (FlowType.in_kind, 8),
    (FlowType.other, 3),
    (FlowType.vague, 4),
]
LOANS = {FlowType.loan, FlowType.export_buyers_credit, FlowType.suppliers_credit}
FLOW_CLASS = {
    FlowType.grant: "ODA-like",
    FlowType.technical_assistance: "ODA-like",
    FlowType.in_kind: "ODA-like",
    FlowType.debt_relief: "ODA-like",
    FlowType.vague: "Vague (Official Finance)",
}
INTENTS = [("Development", 60), ("Commercial", 25), ("Mixed", 10), ("Representational", 5)]

# Currency, its weight, and units per US dollar in 2000 and in 2023 (interpolated between).
CURRENCIES: list[tuple[str, int, float, float]] = [
    ("USD", 62, 1.0, 1.0),
    ("CNY", 24, 8.28, 7.08),
    ("EUR", 6, 1.08, 0.92),
    ("JPY", 2, 107.8, 140.5),
    ("GBP", 1, 0.66, 0.80),
    ("XOF", 2, 712.0, 606.0),
    ("PKR", 1, 53.6, 280.4),
    ("BRL", 2, 1.83, 4.99),
]

# Countries in the Arctic whose projects may belong to the Polar Silk Road.
ARCTIC = {"RUS", "ISL", "GRL", "NOR", "FIN", "SWE", "CAN"}
# Never recipients in this data: China itself and high-income lenders.
NOT_RECIPIENTS = {
    "CHN", "TWN", "HKG", "MAC", "USA", "GBR", "FRA", "DEU", "JPN", "KOR", "AUS", "NZL",
    "ITA", "ESP", "NLD", "BEL", "CHE", "AUT", "LUX", "IRL", "DNK", "SWE", "LIE", "MCO",
    "SMR", "AND", "VAT", "ATA", "SGP", "ISR", "CAN", "NOR", "FIN",
}  # fmt: skip
# Always recipients, so every strand has countries to draw on.
ALWAYS_RECIPIENTS = ["RUS", "ISL", "GRL", "PAK", "KEN", "BRA", "VEN", "ECU"]

FINANCIER_KINDS = [
    ("policy-bank", "Policy Bank", "bank", 6),
    ("commercial-bank", "Commercial Bank", "bank", 8),
    ("ministry", "Ministry", "ministry", 4),
    ("agency", "Development Agency", "government_agency", 4),
    ("soe", "Construction Group", "state_owned_enterprise", 14),
    ("telecom", "Telecom Equipment Company", "company", 4),
]
IMPLEMENTER_SHARE = 0.6
RECEIVER_SHARE = 0.85
CO_FINANCIER_SHARE = 0.12

SOURCES = [
    ("dataset", "Synthetic AidData-shaped development finance records"),
    ("report", "Synthetic annual report of a policy bank"),
    ("article", "Synthetic news report on a signing ceremony"),
    ("statement", "Synthetic embassy statement"),
    ("webpage", "Synthetic contractor web page"),
]
