from pydantic import BaseModel, Field


class DatasetLicence(BaseModel):
    source: str = Field(description="Source key.")
    title: str
    licence: str | None
    url: str | None


class MetaRead(BaseModel):
    """What the dataset holds, its version and how to cite it."""

    name: str
    api_version: str
    dataset_version: int = Field(description="Moves on with every write and import.")
    row_counts: dict[str, int]
    licences: list[DatasetLicence]
    how_to_cite: str
    documentation: str


class Health(BaseModel):
    status: str
