"""The list mechanism shared by every list endpoint: filters, sort, cursor, fields, formats."""

from app.listing.params import ListParams, bad_parameter, list_parameters
from app.listing.run import run_list
from app.listing.spec import Filter, ListSpec, OutField, Search
from app.listing.where import filtered

__all__ = [
    "Filter",
    "ListParams",
    "ListSpec",
    "OutField",
    "Search",
    "bad_parameter",
    "filtered",
    "list_parameters",
    "run_list",
]
